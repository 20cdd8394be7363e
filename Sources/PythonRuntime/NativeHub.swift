import CPythonShims

/// Something green that ran in a process nothing patched, as `gl_native_hub.c` recorded it.
public struct NativeGreenUse: Equatable, Sendable {
  /// Its place among the recorded uses: 1 for the first.
  public let order: Int
  /// What it was: the hub's type name (`Hub`), or the lock's class
  /// (`eventlet.semaphore.Semaphore`).
  public let what: String
  /// The Python stack of the call, innermost frame first.
  public let stack: [StackFrame]
}

/// What green a process that nothing patched ran first (`gl_native_hub.c`): the first
/// `eventlet.hubs.get_hub()` call that made a thread's hub (a green thread spawned, a green
/// lock that waits or `eventlet.sleep` all start one there), and the first
/// `eventlet.semaphore.Semaphore.acquire`, which starts no hub when it does not wait.
public enum NativeHub {
  /// Watches from now on (the audit hook must be installed for it to see eventlet.hubs
  /// arrive). Call with the GIL held.
  public static func watch() {
    gl_native_hub_watch()
  }

  /// Ends the watch once the service has patched: a hub or a lock is then its own, and
  /// eventlet's functions are its own again. GIL held.
  public static func stop() {
    gl_native_hub_stop()
  }

  /// The call that made the first hub, on whichever thread; nil while no hub has started.
  /// GIL held.
  public static var hubStart: NativeGreenUse? { use(GL_NATIVE_HUB_START) }

  /// The first acquire of a green lock; nil while none was acquired, or when a hub started
  /// before it (that is then the first use). GIL held.
  public static var lockAcquire: NativeGreenUse? { use(GL_NATIVE_LOCK_ACQUIRE) }

  private static func use(_ kind: Int32) -> NativeGreenUse? {
    let order = Int(gl_native_use_order(kind))
    guard order > 0 else { return nil }
    let stack = (0..<gl_native_use_frame_count(kind)).map { frame in
      StackFrame(
        file: text(gl_native_use_frame_file(kind, frame)),
        line: Int(gl_native_use_frame_line(kind, frame)),
        function: text(gl_native_use_frame_function(kind, frame)))
    }
    return NativeGreenUse(order: order, what: text(gl_native_use_what(kind)), stack: stack)
  }

  private static func text(_ object: OpaquePointer?) -> String {
    object.flatMap { gl_utf8($0) }.map { String(cString: $0) } ?? "?"
  }
}
