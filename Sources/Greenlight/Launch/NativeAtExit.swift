import CPythonShims
import PythonRuntime
import Synchronization

/// `run` in target mode of a service whose code never patches: its code runs after
/// hand-off, so it is judged as native when the process ends (at Python's exit, while the
/// interpreter still exists), unless something patched meanwhile.
enum NativeAtExit {
  private static let pending = Mutex<(@Sendable () -> Void)?>(nil)

  /// Runs `judge` at Python's exit, once; the monkey_patch watch stops after it.
  static func register(_ judge: @escaping @Sendable () -> Void) {
    pending.withLock { $0 = judge }
    _ = gl_atexit_register { NativeAtExit.run() }
  }

  private static func run() {
    guard let judge = pending.withLock({ $0.take() }) else { return }
    judge()
    EventLog.record(.off)
    PatchWatch.stop()
  }
}
