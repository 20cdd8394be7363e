import ArgumentParser
import Greenlight

#if canImport(Glibc)
  import Glibc
#endif

/// `greenlight run`: every launch phase, then the hand-off.
struct RunCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "run",
    abstract: "Patch first, make subprocess green, then run the service as python would.",
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

      The Python: --python, else $VIRTUAL_ENV, else ./.venv, else the Python
      greenlight was built against. Its major.minor must be the linked one's.

      Patch modes (--patch):
        first   import eventlet, call eventlet.monkey_patch() for every module
                before any code of the service, then make subprocess.Popen,
                call, check_call, check_output, run, getoutput and
                getstatusoutput cooperative (the default)
        target  the service patches itself: greenlight imports nothing
        none    native threads: greenlight never imports eventlet; also
                --no-patch, or DISABLE_EVENTLET_PATCHING set to anything but
                empty, 0, false or no

      Exit status: the service's own, except
        64  wrong input to greenlight (options, target, --python path)
        69  the Python cannot serve (another major.minor, eventlet missing)
        70  a launch phase failed in Python before hand-off
      """
  )

  @Option(
    name: .long, help: ArgumentHelp("A virtual environment or its bin/python.", valueName: "path"))
  var python: String?

  @Option(
    name: .long,
    help: ArgumentHelp("When to monkey-patch: first, target or none.", valueName: "mode"))
  var patch: PatchMode = .first

  @Flag(name: .long, help: "Do not patch: the same as --patch none.")
  var noPatch = false

  @Flag(name: .shortAndLong, help: "Say what each launch phase did, on stderr.")
  var verbose = false

  @Option(
    name: [.customShort("m"), .long],
    help: ArgumentHelp("Run a module as python -m.", valueName: "module"))
  var module: String?

  @Option(
    name: [.customShort("c"), .long],
    help: ArgumentHelp("Run code as python -c.", valueName: "code"))
  var command: String?

  @Option(
    name: .long,
    help: ArgumentHelp("Import MODULE and call FUNCTION().", valueName: "module:function"))
  var entry: String?

  @Option(
    name: .long,
    help: ArgumentHelp("Run a console_scripts entry point of the environment.", valueName: "name"))
  var script: String?

  @Option(name: .long, help: .hidden)
  var file: String?

  /// Set from the command-line split, not parsed: the service's arguments as bytes.
  var serviceArguments: [[UInt8]] = []

  enum CodingKeys: String, CodingKey {
    case python, patch, noPatch, verbose, module, command, entry, script, file
  }

  func validate() throws {
    let given = [module, command, entry, script, file].compactMap { $0 }
    guard !given.isEmpty else {
      throw ValidationError(
        "No target: give -m MODULE, -c CODE, --entry MODULE:FUNCTION, --script NAME or FILE.")
    }
    guard given.count == 1 else {
      throw ValidationError("Give one target, not \(given.count).")
    }
    if let entry, EntryPoint(parsing: entry) == nil {
      throw ValidationError(
        "--entry \(entry) is not MODULE:FUNCTION with dotted Python names on both sides.")
    }
  }

  var target: LaunchTarget {
    if let module { return .module(module) }
    if let command { return .command(command) }
    if let entry, let parsed = EntryPoint(parsing: entry) { return .entry(parsed) }
    if let script { return .script(script) }
    return .file(file ?? "")
  }

  func run() throws {
    let mode = (noPatch ? .none : patch)
      .applyingEnvironment(getenv("DISABLE_EVENTLET_PATCHING").map { String(cString: $0) })
    let request = LaunchRequest(
      python: python, patchMode: mode, target: target,
      serviceArguments: serviceArguments, verbose: verbose)
    do {
      let status = try Launch.run(request)
      throw ExitCode(status)
    } catch let error as LaunchError {
      StandardError.line("greenlight: error: \(error.message)")
      throw ExitCode(error.status)
    }
  }
}
