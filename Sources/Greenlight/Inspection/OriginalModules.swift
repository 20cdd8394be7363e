import PythonRuntime

/// What `eventlet.patcher.original(...)` handed out, by the file that called it. A library
/// that takes a pristine module on purpose, to talk to real threads (oslo.log's
/// `pipe_mutex`: `eventlet.patcher.original("queue").SimpleQueue`), holds native objects by
/// design. In eventlet 0.41.3 the pristine copy shares every object that comes from a C
/// module (`_queue.SimpleQueue`, `_thread.LockType`), so it hands out the very objects the
/// patch replaced: only the caller tells them apart from a stale reference. Locks and
/// thread-locals made through such a copy are of the copy's own `_thread` types (the
/// re-imported `_thread` makes new heap types), so GL108 and GL109 never see them.
struct OriginalModules {
  /// One call: the module's name, what it returned and where it was called.
  struct Taken {
    let name: String
    let module: PythonObject
    let location: SourceLocation?
  }

  private let byFile: [String: [Taken]]

  /// Reads the watch's records; the innermost frame of each call is its caller (the
  /// wrapper is a C function, with no frame of its own).
  init(view: ProcessView) {
    var byFile: [String: [Taken]] = [:]
    for event in EventLog.events(.original) {
      guard let caller = event.stack.first, let parts = try? event.subject?.elements(),
        parts.count == 2
      else { continue }
      byFile[caller.file, default: []].append(
        Taken(
          name: parts[0].stringValue ?? "?", module: parts[1], location: view.location(caller)))
    }
    self.byFile = byFile
  }

  /// The calls made from `file`, in order.
  func taken(byFile file: String?) -> [Taken] {
    file.flatMap { byFile[$0] } ?? []
  }

  /// Whether a module's namespace value handed to `file` is the object `identity`.
  func handsOut(_ identity: UInt, toFile file: String?) -> Bool {
    taken(byFile: file).contains { taken in
      guard let items = try? taken.module.namespace?.items() else { return false }
      return items.contains { $0.value.identity == identity }
    }
  }

}
