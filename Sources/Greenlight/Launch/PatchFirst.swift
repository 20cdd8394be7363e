import PythonRuntime

/// The patch, green-subprocess and verify phases of `--patch first`.
enum PatchFirst {
  /// Imports eventlet, turning its absence into the one sentence that says how to fix it.
  private static func importEventlet(
    _ installation: PythonInstallation, withoutPatching: String
  ) throws -> PythonObject {
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
          "no virtual environment was found (--python, VIRTUAL_ENV or a .venv here or above) and"
            + " \(installation.executable) has no eventlet; create one with"
            + " `\(installation.executable) -m venv .venv && .venv/bin/pip install eventlet`,"
            + " or \(withoutPatching).")
      }
      throw LaunchError(
        .patch, status: ExitStatus.unavailable,
        "eventlet is not installed in the Python at \(installation.executable); install it"
          + " with `\(installation.installCommand) eventlet` (or the project's"
          + " requirements.txt), or \(withoutPatching).")
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

  /// The patch, green-subprocess and verify phases of `--patch first`. `withoutPatching`
  /// tells the person how to run without eventlet, should it be missing.
  static func run(
    _ installation: PythonInstallation, _ say: Narrator,
    withoutPatching: String = "run with --no-patch"
  ) throws(LaunchError) {
    var phase = LaunchPhase.patch
    do {
      let started = Clock.milliseconds()
      // Everything imported from here to the end of the patch is eventlet's own: its names
      // are enough, and the stacks of its ~250 imports are not worth walking.
      EventLog.record(.names)
      // pyOpenSSL (and cryptography's native lock with it) is loaded after the patch.
      let held = try PatchFirstOrder.holdOff()
      var patched = false
      defer { if !patched { _ = try? PatchFirstOrder.restore(held, patched: false) } }
      let eventlet = try importEventlet(installation, withoutPatching: withoutPatching)
      try eventlet.attribute("monkey_patch").call()
      patched = true
      EventLog.record(.stacks)
      let later = try PatchFirstOrder.restore(held, patched: true)
      let version = (try? eventlet.attribute("__version__"))?.description ?? "?"
      say("patch", String(format: started, "eventlet \(version) monkey_patch(), every module"))
      if !later.isEmpty {
        say(
          "openssl",
          "\(later.joined(separator: ", ")) imported after the patch, for eventlet.greenio")
      }

      phase = .greenSubprocess
      try GreenSubprocess.install()
      say("subprocess", GreenSubprocess.done)
      if try GreenDevices.install() { say("devices", GreenDevices.done) }
      if try GreenFunctools.install() { say("functools", GreenFunctools.done) }

      phase = .verify
      if let failure = try GreenSubprocess.verification(after: "the swap") { throw failure }
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
