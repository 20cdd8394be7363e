import ArgumentParser
import Greenlight

#if canImport(Glibc)
  import Glibc
#endif

/// `greenlight run`: every launch phase, then the hand-off.
struct RunCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "run",
    abstract: "Patch as the service needs, make subprocess green, then run it as python would.",
    usage: """
      greenlight run [OPTIONS] -m MODULE [ARGS...]
      greenlight run [OPTIONS] -c CODE [ARGS...]
      greenlight run [OPTIONS] --entry MODULE:FUNCTION [ARGS...]
      greenlight run [OPTIONS] --script NAME [ARGS...]
      greenlight run [OPTIONS] FILE [ARGS...]
      """,
    discussion: """
      The target ends greenlight's options, as with python: everything after it
      goes to the service unchanged, also --help and --. Put -- before the target
      to end greenlight's options explicitly (a FILE whose name starts with -).

      Targets:
        -m MODULE                run a module, as python -m
        -c CODE                  run code, as python -c
        --entry MODULE:FUNCTION  import MODULE, call FUNCTION() with no
                                 arguments, exit with what it returns
                                 (as a console script does)
        --script NAME            a console_scripts entry point of the
                                 environment's installed distributions
        FILE                     run a file, as python FILE

      The Python: --python, else $VIRTUAL_ENV, else the nearest .venv from the
      working directory up, else the Python greenlight was built against. Its
      major.minor must be the linked one's.

      Patch modes (--patch):
        auto    the default: the service's own code decides, read before any
                of it runs (its entry module and top-level package). Code
                that calls monkey_patch or picks its concurrency backend
                (nova, swift, oslo.service) runs as target; code that imports
                eventlet and never patches runs as first; code that does not
                use eventlet runs as target, native unless something patches.
                greenlight -v names the line that decided.
        first   import eventlet, call eventlet.monkey_patch() for every module
                before any code of the service, then make subprocess.Popen,
                call, check_call, check_output, run, getoutput and
                getstatusoutput cooperative
        target  the service patches itself: greenlight imports nothing and
                completes the service's first monkey_patch when it returns
                (green subprocess, functools' lock, devices); a service that
                never patches is judged as native
        none    native threads: greenlight never imports eventlet; also
                --no-patch, or DISABLE_EVENTLET_PATCHING set to anything but
                empty, 0, false or no

      --forbid-eventlet (or GREENLIGHT_FORBID_EVENTLET=1) runs as none and refuses
      every import of eventlet or its submodules with an ImportError saying
      greenlight forbade it. An import the importer catches (futurist's) is info
      at its line; one nothing catches ends the service with its traceback, then
      a GL601 error at the import's line, and the service's own status (1).
      In none, eventlet imported is info; a hub started is a GL601 error
      (judged before hand-off and at exit).

      Findings: before hand-off (in target mode: when the service's own
      monkey_patch returns) greenlight reports every threading hazard it sees, by
      rule id, on stderr; nothing is printed when there is none. --strict refuses
      to start the service on an error-level finding. See greenlight check.

      Run-time watch (on unless --watch off; once the process is patched): a
      native watchdog reports the eventlet hub making no progress for longer than
      --hub-stall-ms (default 200) as GL501, with the stack of the green thread
      that blocked it, whether it waits in C or spins in Python; also os.system or
      a native Popen called from a green thread (GL202) and OS threads started
      outside eventlet's tpool (GL502). In every mode, --patch none included, it
      reports os.fork (multiprocessing's fork start method too) called while
      other OS threads are alive, with each one's name and start site (GL503).
      Findings go to stderr as they happen, or as JSON lines to --report-file,
      with a summary at exit that also gives the peak number of OS threads and
      the three start sites that made most of them. The watch takes no signal,
      and on the hub's thread it only runs a timer every quarter of the
      threshold.

      Examples:
        greenlight run -m myservice --config-file app.conf
        greenlight run --script nova-compute --config-file /etc/nova/nova.conf
        greenlight run --python /srv/svc/.venv --strict --entry svc.main:run
        greenlight run --report-file /var/log/svc/findings.jsonl service.py

      Exit status: the service's own, except
        64  wrong input to greenlight (options, target, --python path, policy)
        65  --strict: error-level findings, the service was not started
        69  the Python cannot serve (another major.minor or build, eventlet missing)
        70  a launch phase failed in Python before hand-off
        78  the service refused the mode: it chose native threads and refuses
            the eventlet greenlight imported to patch first (nova under
            --patch first; use auto or target)

      """ + HelpText.launchEnvironment + "\n\n" + HelpText.files
  )

  @OptionGroup var options: LaunchOptions

  @OptionGroup var patching: PatchOptions

  @OptionGroup var watch: WatchArguments

  @Flag(
    name: .long,
    help: "Refuse to hand off when an error-level finding remains (exit 65).")
  var strict = false

  /// Set from the command-line split, not parsed: the service's arguments as bytes.
  var serviceArguments: [[UInt8]] = []

  enum CodingKeys: String, CodingKey {
    case options, patching, watch, strict
  }

  func run() throws {
    var request = try options.request(
      purpose: .run(strict: strict), patching: patching, serviceArguments: serviceArguments)
    request.watch = watch.options
    try perform(request)
  }
}
