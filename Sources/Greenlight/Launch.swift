import PythonRuntime

#if canImport(Glibc)
  import Glibc
#endif

/// Everything a launch needs, decided by the command line.
public struct LaunchRequest: Sendable {
  /// `--python`: a venv folder or an interpreter; nil for the default search.
  public var python: String?
  /// `--patch`, after `--no-patch` and `DISABLE_EVENTLET_PATCHING`.
  public var patchMode: PatchMode
  /// What runs at hand-off.
  public var target: LaunchTarget
  /// The service's arguments, as bytes, unchanged.
  public var serviceArguments: [[UInt8]]
  /// `--verbose`: say what each phase did on stderr.
  public var verbose: Bool

  public init(
    python: String?, patchMode: PatchMode, target: LaunchTarget,
    serviceArguments: [[UInt8]], verbose: Bool
  ) {
    self.python = python
    self.patchMode = patchMode
    self.target = target
    self.serviceArguments = serviceArguments
    self.verbose = verbose
  }
}

/// The launch, phase by phase: preflight, initialize, patch, green subprocess, verify,
/// hand-off. The function reads top to bottom in that order.
public enum Launch {
  /// Runs the launch and returns the service's exit status, or throws where a phase failed
  /// before hand-off.
  public static func run(_ request: LaunchRequest) throws(LaunchError) -> Int32 {
    let say = Narrator(enabled: request.verbose)

    // preflight
    let installation = try Preflight.installation(request.python)
    say("python", "\(installation.executable) (Python \(installation.version))")
    let handOff = try Preflight.handOff(request, installation: installation)
    ProcessSignals.restoreDefaultFatalActions()

    // initialize
    let interpreter: Interpreter
    switch startInterpreter(installation, handOff) {
    case .success(let started): interpreter = started
    case .failure(.exitRequested(let status)): return status
    case .failure(.initializationFailed(let function, let message)):
      throw LaunchError(
        .initialize, status: ExitStatus.unavailable,
        "Python \(installation.executable) did not start: "
          + [function, message].compactMap { $0 }.joined(separator: ": ") + ".")
    case .failure(.alreadyStarted):
      preconditionFailure("a launch starts the process's only interpreter once")
    }

    switch request.patchMode {
    case .first:
      do {
        try patchFirst(installation, say)
      } catch {
        interpreter.finalize()
        throw error
      }
    case .target:
      say("patch", "target: greenlight does not patch; the service patches itself")
    case .none:
      say("patch", "none: eventlet is not imported by greenlight")
    }

    // hand-off
    say("hand-off", request.target.commandLine)
    return interpreter.runMain()
  }

  private static func startInterpreter(
    _ installation: PythonInstallation, _ handOff: HandOff
  ) -> Result<Interpreter, InterpreterError> {
    let configuration = InterpreterConfiguration(
      programName: installation.executable, executable: installation.executable,
      arguments: handOff.arguments, target: handOff.target)
    do {
      return .success(try Interpreter.start(configuration))
    } catch {
      return .failure(error)
    }
  }

  /// Imports eventlet, turning its absence into the one sentence that says how to fix it.
  private static func importEventlet(_ installation: PythonInstallation) throws -> PythonObject {
    let imported: Result<PythonObject, PythonError>
    do {
      imported = .success(
        try silencingWarnings { () throws(PythonError) in
          try PythonObject.importModule("eventlet")
        })
    } catch {
      imported = .failure(error)
    }
    if case .failure(let error) = imported, error.missingModule == "eventlet" {
      guard installation.environmentRoot != nil else {
        throw LaunchError(
          .patch, status: ExitStatus.unavailable,
          "no virtual environment was given (--python, VIRTUAL_ENV or ./.venv) and"
            + " \(installation.executable) has no eventlet; create one with"
            + " `\(installation.executable) -m venv .venv && .venv/bin/pip install eventlet`,"
            + " or run with --no-patch.")
      }
      throw LaunchError(
        .patch, status: ExitStatus.unavailable,
        "eventlet is not installed in the Python at \(installation.executable); install it"
          + " with `\(installation.installCommand) eventlet` (or the project's"
          + " requirements.txt), or run with --no-patch.")
    }
    return try imported.get()
  }

  /// Runs `body` inside `warnings.catch_warnings()` with every warning ignored. eventlet
  /// warns at import that it is deprecated, with `stacklevel=2`; imported by greenlight
  /// that has no Python caller and prints as "sys:1:" on every start of every service.
  private static func silencingWarnings(
    _ body: () throws(PythonError) -> PythonObject
  ) throws(PythonError) -> PythonObject {
    let warnings = try PythonObject.importModule("warnings")
    let context = try warnings.attribute("catch_warnings").call()
    try context.attribute("__enter__").call()
    defer { _ = try? context.attribute("__exit__").call(.none, .none, .none) }
    try warnings.attribute("simplefilter").call(try .string("ignore"))
    return try body()
  }

  /// The patch, green-subprocess and verify phases of `--patch first`.
  private static func patchFirst(
    _ installation: PythonInstallation, _ say: Narrator
  ) throws(LaunchError) {
    var phase = LaunchPhase.patch
    do {
      let started = Clock.milliseconds()
      let eventlet = try importEventlet(installation)
      try eventlet.attribute("monkey_patch").call()
      let version = (try? eventlet.attribute("__version__"))?.description ?? "?"
      say("patch", String(format: started, "eventlet \(version) monkey_patch(), every module"))

      phase = .greenSubprocess
      try GreenSubprocess.install()
      say("subprocess", GreenSubprocess.entryPoints.joined(separator: ", ") + " are green")

      phase = .verify
      let native = try GreenSubprocess.nativeEntryPoints()
      guard native.isEmpty else {
        throw LaunchError(
          .verify, status: ExitStatus.software,
          "subprocess is still native after the swap: \(native.joined(separator: ", ")).")
      }
    } catch let error as LaunchError {
      throw error
    } catch {
      // A Python exception: print its traceback as the interpreter would, then one line.
      (error as? PythonError)?.display()
      throw LaunchError(
        phase, status: ExitStatus.software,
        "the \(phase.rawValue) phase failed before hand-off: \(error)")
    }
  }
}

/// `--verbose` output: one aligned line per phase on stderr.
struct Narrator {
  let enabled: Bool

  func callAsFunction(_ phase: String, _ text: String) {
    guard enabled else { return }
    let padded = phase + String(repeating: " ", count: max(1, 11 - phase.count))
    StandardError.line("greenlight: \(padded)\(text)")
  }
}

extension String {
  /// `text` followed by the milliseconds since `started`.
  fileprivate init(format started: Double, _ text: String) {
    let elapsed = (Clock.milliseconds() - started) * 10
    self = "\(text) (\(Double(Int(elapsed.rounded())) / 10) ms)"
  }
}
