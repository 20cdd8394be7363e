import CPythonShims

/// Where a process that nothing patched started an eventlet hub (`gl_native_hub.c`): the
/// first `eventlet.hubs.get_hub()` call that made a thread's hub. A green thread spawned,
/// a green lock that waits or `eventlet.sleep` all start one there.
public enum NativeHub {
  /// Watches from now on (the audit hook must be installed for it to see eventlet.hubs
  /// arrive). Call with the GIL held.
  public static func watch() {
    gl_native_hub_watch()
  }

  /// Ends the watch once the service has patched: a hub is then its own. GIL held.
  public static func stop() {
    gl_native_hub_stop()
  }

  /// The Python stack of the call that made the first hub, innermost frame first; empty
  /// while no hub has started. GIL held.
  public static var startStack: [StackFrame] {
    (0..<gl_native_hub_frame_count()).map { frame in
      StackFrame(
        file: text(gl_native_hub_frame_file(frame)), line: Int(gl_native_hub_frame_line(frame)),
        function: text(gl_native_hub_frame_function(frame)))
    }
  }

  private static func text(_ object: OpaquePointer?) -> String {
    object.flatMap { gl_utf8($0) }.map { String(cString: $0) } ?? "?"
  }
}
