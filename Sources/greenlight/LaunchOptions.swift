import ArgumentParser
import Greenlight
import PythonRuntime

#if canImport(Glibc)
  import Glibc
#endif

extension ArgumentHelp {
  /// `--python`, for every command that starts Python.
  static let pythonOption = ArgumentHelp(
    "A virtual environment or its bin/python.", valueName: "path")
  /// `--policy`, for every command that reports.
  static let policyOption = ArgumentHelp(
    "A policy file (greenlight.toml or pyproject.toml); default: found from the working"
      + " directory up.", valueName: "file")
}

/// `--patch` and `--no-patch`, for `run` and `check` (`debug` always patches first).
struct PatchOptions: ParsableArguments {
  @Option(
    name: .long,
    help: ArgumentHelp(
      "When to monkey-patch: auto (the default: the service's code decides), first, target"
        + " or none.", valueName: "mode"))
  var patch: PatchMode = .auto

  @Flag(name: .long, help: "Do not patch: the same as --patch none.")
  var noPatch = false

  @Flag(
    name: .long,
    help: ArgumentHelp(
      "Refuse every import of eventlet with an ImportError (implies --patch none); the same"
        + " as GREENLIGHT_FORBID_EVENTLET=1."))
  var forbidEventlet = false
}

/// The options `run`, `check` and `debug` share: the Python, the policy, the report and the
/// target.
struct LaunchOptions: ParsableArguments {
  @Option(name: .long, help: .pythonOption, completion: .file())
  var python: String?

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
    help: ArgumentHelp("Run a console_scripts entry point of the environment.", valueName: "name"),
    completion: ScriptCompletion.kind)
  var script: String?

  @Option(name: .long, help: .hidden)
  var file: String?

  @Option(name: .long, help: .policyOption)
  var policy: String?

  @Option(
    name: .long,
    help: ArgumentHelp(
      "Report format: text (stderr), json or sarif (stdout).", valueName: "format"))
  var format: ReportFormat = .text

  @Option(
    name: .long, help: ArgumentHelp("Write the report to this file instead.", valueName: "path"))
  var reportFile: String?

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

  /// What these options decide, with the patch mode from `patching` (auto when nil).
  func choices(_ patching: PatchOptions? = nil) -> LaunchChoices {
    LaunchChoices(
      python: python, patch: patching?.patch ?? .auto, noPatch: patching?.noPatch ?? false,
      forbidEventlet: patching?.forbidEventlet ?? false,
      verbose: verbose, policy: policy, format: format, reportFile: reportFile, target: target)
  }

  func request(
    purpose: LaunchRequest.Purpose, patching: PatchOptions? = nil, serviceArguments: [[UInt8]]
  ) throws -> LaunchRequest {
    try choices(patching).request(purpose: purpose, serviceArguments: serviceArguments)
  }
}

/// What the options of `run` and `check` decide, as plain values: built by the parser
/// (``LaunchOptions``) or by ``FastPath``, and turned into a request in one place.
struct LaunchChoices: Equatable {
  var python: String?
  var patch: PatchMode = .auto
  var noPatch = false
  /// `--forbid-eventlet`, or `GREENLIGHT_FORBID_EVENTLET=1`: the mode is then none.
  var forbidEventlet = false
  var verbose = false
  var policy: String?
  var format: ReportFormat = .text
  var reportFile: String?
  var target: LaunchTarget

  func request(purpose: LaunchRequest.Purpose, serviceArguments: [[UInt8]]) throws
    -> LaunchRequest
  {
    let forbid = forbidEventlet || Self.forbidsEventletByEnvironment
    let mode =
      forbid
      ? .none
      : (noPatch ? .none : patch)
        .applyingEnvironment(getenv("DISABLE_EVENTLET_PATCHING").map { String(cString: $0) })
    let loaded = try Self.loadPolicy(policy)
    var request = LaunchRequest(
      python: python, patchMode: mode, target: target, serviceArguments: serviceArguments,
      verbose: verbose, purpose: purpose, policy: loaded,
      report: Self.reportOptions(format: format, file: reportFile))
    request.forbidEventlet = forbid
    return request
  }

  /// `GREENLIGHT_FORBID_EVENTLET` set to anything but empty or `0`.
  static var forbidsEventletByEnvironment: Bool {
    guard let value = getenv(FrontEndSettings.forbidEventletVariable) else { return false }
    let text = String(cString: value)
    return !text.isEmpty && text != "0"
  }

  /// The policy named by `--policy`, or found from the working directory up; a broken
  /// policy is a usage error, said in one sentence that names file, line and key.
  static func loadPolicy(_ explicit: String?) throws -> Policy {
    do {
      return try PolicyLoader.load(
        explicit: explicit, workingDirectory: FileSystem.currentDirectory())
    } catch {
      StandardError.line("greenlight: error: \(error.description)")
      throw ExitCode(ExitStatus.usage)
    }
  }

  /// Report options, with colour decided from standard error and the environment.
  static func reportOptions(format: ReportFormat, file: String?) -> ReportOptions {
    let variable = { (name: String) in getenv(name).map { String(cString: $0) } }
    return ReportOptions(
      format: format, file: file,
      color: ColorChoice.forStandardError(noColor: variable("NO_COLOR"), term: variable("TERM")))
  }
}

/// Runs a launch and turns its outcome into the process's exit status.
func perform(_ request: LaunchRequest) throws -> Never {
  do {
    let status = try Launch.run(request)
    throw ExitCode(status)
  } catch let error as LaunchError {
    StandardError.line("greenlight: error: \(error.message)")
    throw ExitCode(error.status)
  }
}
