import PythonRuntime

/// `--patch target`: what `--patch first` adds after its own patch, done at the instant the
/// service's first `eventlet.monkey_patch` call returns, before the service's next line.
///
/// Each part is done only where that call patched what the part relies on, judged by the
/// call's arguments and then by object identity in the live modules:
/// - the green subprocess (``GreenSubprocess``): the call patched `subprocess` and the
///   modules a green `Popen` lives among (`os`, `thread`, `socket`, `select`), as a full
///   patch does, and `subprocess.Popen` is eventlet's green class; verified afterwards;
/// - the character devices (``GreenDevices``): `os.read` and `os.write` are eventlet's;
/// - `functools.RLock` (``GreenFunctools``): the call patched `thread`, and `threading`
///   allocates eventlet's green locks.
struct PatchCompletion: Sendable {
  /// Whether every subprocess entry point was made green (and verified).
  private(set) var subprocess = false
  /// Whether `os.read` and `os.write` skip the hub for character devices.
  private(set) var devices = false
  /// Whether `functools.RLock` is the green RLock.
  private(set) var functools = false
  /// Why the subprocess swap was not done, when the call patched `subprocess` but not what
  /// the swap relies on: the modules it left native.
  private(set) var subprocessNeeds: [String] = []

  /// The modules the green subprocess relies on besides `subprocess` itself.
  static let subprocessRelies = ["os", "select", "socket", "thread"]

  /// Completes the patch `call` made; throws where a step failed or the swap did not verify.
  static func run(after call: PatchCall, _ say: Narrator) throws(LaunchError) -> PatchCompletion {
    var done = PatchCompletion()
    let on = call.effective
    var phase = LaunchPhase.greenSubprocess
    do {
      if on["subprocess"] == true {
        done.subprocessNeeds = subprocessRelies.filter { on[$0] != true }
        if done.subprocessNeeds.isEmpty, try isGreen("subprocess", "Popen", "Popen") {
          try GreenSubprocess.install()
          phase = .verify
          if let failure = try GreenSubprocess.verification(
            after: "completing the service's patch")
          {
            throw failure
          }
          phase = .greenSubprocess
          done.subprocess = true
          say("subprocess", GreenSubprocess.done)
        } else if !done.subprocessNeeds.isEmpty {
          say(
            "subprocess",
            "left as the service patched it: \(call.spelled) leaves"
              + " \(done.subprocessNeeds.joined(separator: ", ")) native")
        }
      }
      if on["os"] == true, try GreenDevices.install() {
        done.devices = true
        say("devices", GreenDevices.done)
      }
      if on["thread"] == true, try isGreen("threading", "_allocate_lock", "allocate_lock"),
        try GreenFunctools.install()
      {
        done.functools = true
        say("functools", GreenFunctools.done)
      }
    } catch let error as LaunchError {
      throw error
    } catch {
      (error as? PythonError)?.display()
      throw LaunchError(
        phase, status: ExitStatus.software,
        "completing the service's patch failed (\(phase.rawValue)): \(error)")
    }
    return done
  }

  /// Whether `module.attribute` is eventlet's green object of that name (`green` in the
  /// module eventlet greens it from: `eventlet.green.thread` for `threading`).
  private static func isGreen(
    _ module: String, _ attribute: String, _ green: String
  ) throws(PythonError) -> Bool {
    let source = module == "threading" ? "eventlet.green.thread" : "eventlet.green.\(module)"
    let expected = try PythonObject.importModule(source).attribute(green)
    guard let live = try PythonObject.importModule(module).attributeIfPresent(attribute) else {
      return false
    }
    return live.isIdentical(to: expected)
  }
}
