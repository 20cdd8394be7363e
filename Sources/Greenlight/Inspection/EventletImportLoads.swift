import PythonRuntime

/// What the service's own `import eventlet` loaded of other distributions before the
/// service's patch: eventlet 0.41.3's `eventlet/greenio/base.py` imports pyOpenSSL when it is
/// installed, and with it cryptography, whose `Binding._init_lock` is then a native lock.
///
/// A service cannot patch before it imports eventlet, so "patch before importing its module"
/// cannot be followed for what that import loads: it is eventlet's doing, in every process
/// that imports eventlet itself, as eventlet's subprocess gap is (GL201 at info). GL108 and
/// GL109 report such an object at info, naming eventlet's line. Under `--patch first`
/// greenlight holds pyOpenSSL off until its patch, so nothing here applies there: the
/// service's first patch must be its own.
struct EventletImportLoads {
  /// Module name to the innermost frame of eventlet's on its first import's stack.
  private let frames: [String: StackFrame]

  init(inspector: Inspector) {
    guard let first = inspector.calls.first, !first.isGreenlight else {
      frames = [:]
      return
    }
    let view = inspector.view
    var frames: [String: StackFrame] = [:]
    var seen: Set<String> = []
    for event in EventLog.events(.importModule, before: first.event.index) {
      // Within `import eventlet` itself: eventlet's package body is on the stack (not
      // eventlet.import_patched or another eventlet function the service called).
      guard seen.insert(event.name).inserted,
        view.origin(ofModule: event.name) == .library,
        event.stack.contains(where: {
          $0.function == "<module>" && $0.file.hasSuffix("/eventlet/__init__.py")
        }),
        let frame = event.stack.first(where: { view.origin(ofFile: $0.file) == .eventlet })
      else { continue }
      frames[event.name] = frame
    }
    self.frames = frames
  }

  /// eventlet's line whose import loaded `module`, or nil when eventlet's import did not.
  func frame(loading module: String) -> StackFrame? { frames[module] }
}
