import CPythonShims
import PythonRuntime
import Synchronization

/// `--forbid-eventlet`: a meta path finder, first in `sys.meta_path` before the service
/// runs, refuses every import of `eventlet` and its submodules with an `ImportError` that
/// says greenlight forbade it (the design of nova's `poison_eventlet`). Each refusal is kept
/// with its importer's line and its exception. One that the importer catches (futurist's
/// `try: import eventlet`) is info; the one whose exception ends the import of the target
/// (`check`) or reaches `sys.excepthook` (`run`) is a GL601 error at that line.
enum EventletBan {
  /// The finder's file name in tracebacks.
  static var fileName: String { PythonGlue.forbidEventlet.fileName }

  private static let refused = Mutex<PythonObject?>(nil)
  private static let uncaught = Mutex<UInt?>(nil)

  /// Puts the finder first in `sys.meta_path` (GIL held).
  static func install() throws(PythonError) {
    // The finder (`Python/forbid_eventlet.py`): Python because a finder must be a Python
    // object.
    let namespace = try PythonGlue.forbidEventlet.load(name: "greenlight.forbid")
    refused.withLock { $0 = namespace.item("refused") }
  }

  /// Notes `exception` as the one that ended the target (GIL held): a refusal it is, or it
  /// was raised while handling, was not caught.
  static func noteUncaught(_ exception: PythonObject) {
    guard refused.withLock({ $0 != nil }) else { return }
    var next: PythonObject? = exception
    var seen = 0
    while let current = next, !current.isNone, seen < 20 {
      if current.typeName == "ImportError", isRefusal(current) {
        uncaught.withLock { $0 = current.identity }
        return
      }
      next = current.attributeIfPresent("__context__")
      seen += 1
    }
  }

  private static func isRefusal(_ exception: PythonObject) -> Bool {
    let list = refused.withLock { $0 }
    let entries = (try? list?.elements()) ?? []
    return entries.contains { (try? $0.elements())?.last?.isIdentical(to: exception) == true }
  }

  private static let pending = Mutex<
    (publish: @Sendable ([Finding]) -> Void, display: @Sendable (String) -> String)?
  >(nil)

  /// Publishes the refusals at Python's exit (`run`), after an uncaught one has reached
  /// `sys.excepthook`.
  static func atExit(
    _ publish: @escaping @Sendable ([Finding]) -> Void,
    display: @escaping @Sendable (String) -> String
  ) {
    pending.withLock { $0 = (publish, display) }
    _ = gl_atexit_register {
      guard let (publish, display) = EventletBan.pending.withLock({ $0.take() }) else { return }
      publish(EventletBan.findings(display: display))
    }
    _ = PythonError.take()
  }

  /// One finding per refused import (GIL held): info where the importer caught it, a GL601
  /// error for the one that ended the service.
  static func findings(display: (String) -> String) -> [Finding] {
    guard let list = refused.withLock({ $0 }), let entries = try? list.elements() else {
      return []
    }
    let fatal = uncaught.withLock { $0 }
    return entries.compactMap { entry -> Finding? in
      guard let fields = try? entry.elements(), fields.count == 4,
        let name = fields[0].stringValue, let file = fields[1].stringValue,
        let line = fields[2].integerValue
      else { return nil }
      let location = SourceLocation(file: display(file), line: line)
      if fields[3].identity == fatal {
        return Finding(
          .eventletInNativeMode,
          message: "import \(name) was refused (--forbid-eventlet) and nothing caught it: the"
            + " service needs eventlet here.",
          subject: name, location: location,
          fix: "Make this import optional, or remove what needs eventlet here.")
      }
      return Finding(
        .eventletInNativeMode, severity: .info,
        message: "import \(name) was refused (--forbid-eventlet) and the ImportError was caught"
          + " (by its importer, or a test runner): the process went on without eventlet.",
        subject: name, location: location, fix: "Nothing.")
    }
  }
}
