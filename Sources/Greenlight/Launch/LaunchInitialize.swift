import PythonRuntime

/// The initialize phase, shared by every launch (`run`, `check`, `debug`, the front end's
/// own launches): the process's one interpreter, then the inspector and its monkey_patch
/// watch.
extension Launch {
  /// How starting the interpreter ended, when it did not fail.
  enum Start {
    case started(Interpreter)
    /// Python asked to exit during initialisation (python's `-V`, or a usage error).
    case exited(Int32)
  }

  /// The initialize phase, shared by every launch: the one interpreter of the process.
  static func start(
    _ installation: PythonInstallation, arguments: [[UInt8]], target: RunTarget,
    observesEvents: Bool
  ) throws(LaunchError) -> Start {
    let configuration = InterpreterConfiguration(
      programName: installation.executable, executable: installation.executable,
      arguments: arguments, target: target, observesEvents: observesEvents)
    let result: Result<Interpreter, InterpreterError>
    do {
      result = .success(try Interpreter.start(configuration))
    } catch {
      result = .failure(error)
    }
    switch result {
    case .success(let started): return .started(started)
    case .failure(.exitRequested(let status)): return .exited(status)
    case .failure(.initializationFailed(let function, let message)):
      throw LaunchError(
        .initialize, status: ExitStatus.unavailable,
        "Python \(installation.executable) did not start: "
          + [function, message].compactMap { $0 }.joined(separator: ": ") + ".")
    case .failure(.alreadyStarted):
      preconditionFailure("a launch starts the process's only interpreter once")
    }
  }

  /// Starts an inspector for `context` and its monkey_patch watch; a failure there is
  /// greenlight's own (70). A process that starts native (every mode but `first`: until
  /// the service patches, if it does) also has the call that starts an eventlet hub
  /// watched, so that its GL601 points at that call (``NativeHub``; the inspector ends that
  /// watch at the service's own patch).
  static func inspect(
    _ context: Inspector.Context, _ interpreter: Interpreter
  ) throws(LaunchError) -> Inspector {
    if context.mode != .first { NativeHub.watch() }
    let failure: String
    do {
      let inspector = try Inspector(context)
      try inspector.watch()
      return inspector
    } catch {
      error.display()
      failure = "greenlight's observation failed: \(error)"
    }
    // Out here the exception and the inspector are released: no Python object may outlive
    // the interpreter.
    PatchWatch.stop()
    interpreter.finalize()
    throw LaunchError(.initialize, status: ExitStatus.software, failure)
  }
}
