import PythonRuntime
import Synchronization

/// The debug mode's phases of a launch: the debugger's pre-import before the patch, then,
/// just before hand-off, the backdoor, the stack dump and the watch on the service's own
/// monkey_patch calls. Runs with the GIL held on the launch's thread.
enum DebugSession {
  /// The backdoor's listening socket, opened before the patch so that a refused path
  /// costs no patching.
  private static let listener = Mutex<(address: BackdoorAddress, descriptor: Int32)?>(nil)

  /// The pre-imports phase: the backdoor's socket is opened (its path and folder checked),
  /// and debugpy is imported before eventlet patches, so that the threads it starts later
  /// are native.
  static func prepare(_ settings: DebugSettings, _ say: Narrator) throws(LaunchError) {
    if let address = settings.backdoor {
      let descriptor = try BackdoorListener.open(address)
      listener.withLock { $0 = (address, descriptor) }
    }
    guard case .debugpy = settings.debugger else { return }
    do {
      try Debugpy.preImport()
      say("pre-import", "debugpy, before the patch: its threads stay native")
    } catch {
      guard error.missingModule == "debugpy" else {
        error.display()
        throw LaunchError(
          .preflight, status: ExitStatus.software, "importing debugpy failed: \(error)")
      }
      throw LaunchError(
        .preflight, status: ExitStatus.unavailable,
        "--debugger debugpy needs debugpy in the service's environment; install it with"
          + " `pip install debugpy`, or debug with breakpoint() (pdb) or --backdoor.")
    }
  }

  /// The last phase before hand-off: judge the service's own monkey_patch calls from now
  /// on (`reported`: the findings published before hand-off), dump stacks on the signal,
  /// serve the backdoor, start debugpy's listener.
  static func start(
    _ settings: DebugSettings, request: LaunchRequest, reported: [Finding], _ say: Narrator
  ) throws(LaunchError) {
    ServicePatchCalls.watch(request, reported: reported)
    do {
      let glue = try DebugGlue.load()
      try glue.item("dump_on")!.call(
        try integer(Int(settings.dumpSignal.number)),
        try settings.dumpFile.map { path throws(PythonError) in try .string(path) } ?? .none)
      say(
        "dump",
        "SIG\(settings.dumpSignal.name) prints every stack to \(settings.dumpFile ?? "stderr")")
      if let (address, descriptor) = listener.withLock({ $0 }) {
        try glue.item("serve")!.call(try integer(Int(descriptor)))
        // Always said: with {pid} in the path, this is how the user learns where it is.
        StandardError.line(
          "greenlight: backdoor on \(address); attach with: greenlight attach \(attachName(address))"
        )
      }
      if case .debugpy(let address, let wait) = settings.debugger {
        try Debugpy.listen(address, wait: wait, say)
      }
    } catch {
      error.display()
      throw LaunchError(
        .handOff, status: ExitStatus.software, "the debug mode failed before hand-off: \(error)")
    }
  }

  /// A Python int (the shim has no constructor for one; this is not a hot path).
  private static func integer(_ value: Int) throws(PythonError) -> PythonObject {
    try PythonObject.importModule("builtins").attribute("int").call(try .string(String(value)))
  }

  /// How `greenlight attach` names the backdoor.
  static func attachName(_ address: BackdoorAddress) -> String {
    switch address {
    case .unix(let path): path
    case .tcp(let network): "tcp:\(network)"
    }
  }
}
