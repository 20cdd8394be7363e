import ArgumentParser
import Greenlight

/// `greenlight`: the root command, which only groups the subcommands.
struct GreenlightCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "greenlight",
    abstract: "Start eventlet services correctly: patch, green subprocess, then hand off.",
    discussion: """
      greenlight embeds the CPython it was built against (Debian's 3.11) and runs a
      Python service from a virtual environment made with it. The service's own code
      decides its concurrency (--patch auto): one that patches itself or chooses
      native threads is left to do so, and greenlight completes its patch the
      instant it returns; one that relies on its launcher is patched before any of
      its code runs. Either way every entry point of subprocess is made
      cooperative, the patch is verified, hazards are reported, and only then does
      the service run with python's semantics: sys.argv, sys.path[0], __main__,
      exit statuses, tracebacks and signals.

      Examples:
        greenlight run -m myservice --config-file app.conf
        greenlight run --entry nova.cmd.compute:main --config-file nova.conf
        greenlight run --script nova-compute --config-file nova.conf
        greenlight run --patch target service.py
        greenlight run --no-patch -m myservice
        greenlight check --patch target --format sarif --entry nova.cmd.api:main
        greenlight test -- -m stestr run
        greenlight python -m pytest -x
        greenlight debug --backdoor unix:/run/user/1000/svc/{pid}.sock -m mysvc
        greenlight attach /run/user/1000/svc/1234.sock

      Exit status: the service's own (run), 0 or 1 (check), except
        64  wrong input to greenlight (options, target, --python path, policy)
        65  run --strict: error-level findings, the service was not started
        69  the Python cannot serve (another major.minor or build, eventlet missing)
        70  a launch phase failed in Python before hand-off
        78  the service refused the mode (it chose native threads: use --patch auto)

      Environment:
        VIRTUAL_ENV                 the Python, when --python is not given
        DISABLE_EVENTLET_PATCHING   anything but empty, 0, false or no: --patch
                                    none (run, check, test, python; not debug)
        GREENLIGHT_FORBID_EVENTLET  anything but empty or 0: --forbid-eventlet
        GREENLIGHT_PYTHON           greenlight python: the venv or interpreter
        GREENLIGHT_PATCH            greenlight python: the patch mode
        GREENLIGHT_WATCH            greenlight python: on or off, the watch
        GREENLIGHT_HUB_STALL_MS     greenlight python: the hub-stall threshold
        GREENLIGHT_SERVICE_PACKAGES greenlight python: the service's packages
        NO_COLOR                    set: no colour in text reports

      """ + HelpText.files,
    version: greenlightVersion,
    subcommands: [
      RunCommand.self, CheckCommand.self, TestCommand.self, PythonCommand.self,
      DebugCommand.self, AttachCommand.self,
    ]
  )
}
