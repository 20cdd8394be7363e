import ArgumentParser
import Greenlight
import PythonRuntime

#if canImport(Glibc)
  import Glibc
#endif

/// `greenlight debug`: `run` with every module patched, always, plus the ways to look
/// inside a green service: pdb, debugpy, a backdoor and a stack dump.
struct DebugCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "debug",
    abstract: "Run a service fully patched, with pdb or debugpy, a backdoor and stack dumps.",
    usage: """
      greenlight debug [OPTIONS] -m MODULE | -c CODE | --entry MODULE:FUNCTION | --script NAME | FILE [ARGS...]
      """,
    discussion: """
      Debuggers want native threads, so services are often patched with
      monkey_patch(thread=False) under a debugger, and that deadlocks on the first
      contended lock. greenlight debug always patches every module first, thread
      included; a monkey_patch(thread=False) of the service changes nothing and is
      reported as GL402, with the alternative.

      The target and its arguments are given as for greenlight run; --patch and
      --no-patch are refused, and DISABLE_EVENTLET_PATCHING does not apply.

      Debuggers (--debugger):
        pdb      breakpoint() in any green thread stops there: where, p, next,
                 step and continue work; the other green threads stay parked
                 until it continues (the default)
        debugpy  imported before the patch so that its own threads stay native;
                 listens on --listen (127.0.0.1:5678); --wait holds the service
                 until a client attaches. An address other than loopback needs
                 --listen-any.

      Backdoor (--backdoor):
        unix:PATH            an interactive Python console inside the service on a
                             unix socket of mode 0600. Its folder is created with
                             mode 0700, or must be yours and not writable by group
                             or others. {pid} in PATH becomes the process id. A
                             stale socket of a process that is gone is replaced;
                             any other file at PATH is refused. Removed at exit.
        tcp:127.0.0.1:PORT   the same on a loopback TCP port (loopback only)
      Connect with greenlight attach PATH; greenlight says where on stderr. The
      socket is removed at exit, also when SIGTERM or SIGHUP kills the service.

      Stack dump: SIGUSR2 (or --dump-signal NAME) prints the stack of every native
      thread and every green thread, parked ones included, to stderr or appended
      to --dump-file; the service goes on. greenlight attach PATH --dump prints the
      same. Arguments that look like secrets are masked.

      The run-time watch (see greenlight run) is on here too; while a debugger
      traces the hub's thread (a pdb prompt, a debugpy breakpoint) stalls are
      expected and not reported.

      Examples:
        greenlight debug -m myservice                  (breakpoint() stops in pdb)
        greenlight debug --debugger debugpy --wait --script nova-api
        greenlight debug --backdoor unix:$XDG_RUNTIME_DIR/svc/{pid}.sock -m mysvc
        kill -USR2 $(pidof -s greenlight)              (every stack, to stderr)

      Exit status: the service's own, except
        64  wrong input to greenlight (options, target, backdoor path or folder)
        69  the Python cannot serve (eventlet or debugpy missing)
        70  a launch phase failed in Python before hand-off

      Environment:
        VIRTUAL_ENV                 the Python, when --python is not given
        NO_COLOR                    set: no colour in the text report

      """ + HelpText.files
  )

  enum DebuggerChoice: String, ExpressibleByArgument, CaseIterable {
    case pdb, debugpy
  }

  @OptionGroup var options: LaunchOptions

  /// Not debug's: present only to refuse them in one sentence rather than as unknown.
  @Option(name: .long, help: .hidden) var patch: String?
  @Flag(name: .long, help: .hidden) var noPatch = false

  @OptionGroup var watch: WatchArguments

  @Option(
    name: .long, help: ArgumentHelp("pdb (breakpoint()) or debugpy.", valueName: "name"))
  var debugger: DebuggerChoice = .pdb

  @Option(
    name: .long,
    help: ArgumentHelp("Where debugpy listens (default 127.0.0.1:5678).", valueName: "host:port"))
  var listen: String?

  @Flag(name: .long, help: "Let debugpy listen on an address other than loopback.")
  var listenAny = false

  @Flag(name: .long, help: "Start the service only once a debugpy client has attached.")
  var wait = false

  @Option(
    name: .long,
    help: ArgumentHelp(
      "Serve a Python console: unix:PATH or tcp:127.0.0.1:PORT.", valueName: "address"))
  var backdoor: String?

  @Option(
    name: .long, help: ArgumentHelp("The signal that dumps every stack (USR2).", valueName: "name"))
  var dumpSignal: String = "USR2"

  @Option(
    name: .long, help: ArgumentHelp("Append stack dumps to this file.", valueName: "path"))
  var dumpFile: String?

  /// Set from the command-line split: the service's arguments as bytes.
  var serviceArguments: [[UInt8]] = []

  enum CodingKeys: String, CodingKey {
    case options, patch, noPatch, watch, debugger, listen, listenAny, wait, backdoor, dumpSignal,
      dumpFile
  }

  func validate() throws {
    if noPatch || (patch != nil && patch != "first") {
      throw ValidationError(
        "greenlight debug always patches every module first; --patch and --no-patch are for run.")
    }
    if debugger == .pdb, listen != nil || wait || listenAny {
      throw ValidationError("--listen, --wait and --listen-any are for --debugger debugpy.")
    }
    if DumpSignal(parsing: dumpSignal) == nil {
      throw ValidationError(
        "--dump-signal \(dumpSignal) is not one of \(DumpSignal.names).")
    }
  }

  func run() throws {
    var request = try options.request(
      purpose: .run(strict: false), serviceArguments: serviceArguments)
    // Always a full patch: DISABLE_EVENTLET_PATCHING does not apply to debugging.
    request.patchMode = .first
    request.debug = try settings()
    request.watch = watch.options
    try perform(request)
  }

  /// The debug settings, or a usage error in one sentence.
  private func settings() throws -> DebugSettings {
    var settings = DebugSettings(
      dumpSignal: DumpSignal(parsing: dumpSignal) ?? .default,
      // Absolute now: the service may change its working directory before a dump.
      dumpFile: dumpFile.map { FileSystem.absolute($0) })
    if let backdoor {
      do {
        settings.backdoor = try BackdoorAddress(parsing: backdoor)
      } catch {
        throw usage(error.message)
      }
    }
    if debugger == .debugpy {
      let text = listen ?? "127.0.0.1:5678"
      guard let address = NetworkAddress(parsing: text) else {
        throw usage("--listen \(text) is not HOST:PORT.")
      }
      if !address.isLoopback {
        guard listenAny else {
          throw usage(
            "--listen \(text) is not a loopback address: anyone who reaches it can run code in"
              + " the service; add --listen-any to mean it.")
        }
        StandardError.line(
          "greenlight: warning: debugpy listens on \(address), reachable from other machines;"
            + " anyone who connects can run code in the service.")
      }
      settings.debugger = .debugpy(listen: address, wait: wait)
    }
    return settings
  }

  /// A usage error said in one sentence, as the launch says its own (exit 64).
  private func usage(_ message: String) -> ExitCode {
    StandardError.line("greenlight: error: \(message)")
    return ExitCode(ExitStatus.usage)
  }
}
