import CPythonShims
import PythonRuntime
import Synchronization

/// Watches every call of `eventlet.monkey_patch`, by whoever makes it, without importing
/// anything: a meta path finder wraps the function as soon as `eventlet.patcher` has run.
enum PatchWatch {
  /// What to do just before and just after a watched call; set before the target runs.
  /// Each returns 0 to let the service go on, or an exit status to stop it with
  /// SystemExit (`run --strict` refusing to continue).
  struct Handlers: Sendable {
    let before: @Sendable (Int) -> Int32
    let after: @Sendable (Int) -> Int32
  }

  private static let handlers = Mutex<Handlers?>(nil)

  /// Installs the watch; `before` and `after` run with the GIL held, with the index of the
  /// call's event in the ``EventLog``.
  static func install(_ handlers: Handlers) throws(PythonError) {
    self.handlers.withLock { $0 = handlers }
    let code = try PythonGlue.watch.code()
    let status = gl_watch_install(
      code.pointer,
      { index in PatchWatch.current?.before(Int(index)) ?? 0 },
      { index in PatchWatch.current?.after(Int(index)) ?? 0 })
    try PythonError.check(status: status)
  }

  /// Ends the watch before the service runs on its own: the finder leaves
  /// `sys.meta_path`, so the service sees python's, and later calls only forward.
  static func stop() {
    handlers.withLock { $0 = nil }
    _ = gl_watch_stop()
  }

  /// Hands the watch to `handlers` at hand-off (the debug mode): the finder leaves
  /// `sys.meta_path` as with ``stop()``, and calls of the already wrapped monkey_patch go on
  /// reaching the new handlers.
  static func handOver(to handlers: Handlers) {
    self.handlers.withLock { $0 = handlers }
    _ = gl_watch_leave_meta_path()
  }

  private static var current: Handlers? { handlers.withLock { $0 } }
}
