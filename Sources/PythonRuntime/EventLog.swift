import CPythonShims

/// One frame of a recorded Python stack.
public struct StackFrame: Equatable, Hashable, Sendable {
  public let file: String
  public let line: Int
  public let function: String

  public init(file: String, line: Int, function: String) {
    self.file = file
    self.line = line
    self.function = function
  }
}

/// An event seen by the audit hook, the thread observer or the monkey_patch watch.
public struct ObservedEvent {
  public enum Kind: Sendable {
    /// The first import of a module; `subject` is its name.
    case importModule
    /// `sys.settrace` or `sys.setprofile`; `subject` says which.
    case tracer
    /// A native thread started from Python; `thread` is its id.
    case thread
    /// A call of `eventlet.monkey_patch`; `subject` is its keyword dict.
    case patchCall
    /// A call of `eventlet.patcher.original`; `subject` is `(name, module handed out)`.
    case original
  }

  /// The event's position in the log: events before a patch call happened before it.
  public let index: Int
  public let kind: Kind
  /// The module name, tracer name or keyword dict (borrowed from the log).
  public let subject: PythonObject?
  /// The native thread id of a thread event (`threading.get_ident()`).
  public let thread: UInt
  /// The Python stack when it happened, innermost frame first, importlib left out.
  public let stack: [StackFrame]

  /// The subject as text, for imports and tracers.
  public var name: String { subject?.stringValue ?? "" }
}

extension ObservedEvent.Kind {
  fileprivate var shimValue: gl_event_kind {
    switch self {
    case .importModule: GL_EVENT_IMPORT
    case .tracer: GL_EVENT_TRACER
    case .thread: GL_EVENT_THREAD
    case .patchCall: GL_EVENT_PATCH_CALL
    case .original: GL_EVENT_ORIGINAL
    }
  }
}

/// The process's event log, filled by the hooks installed with the interpreter. Read it
/// with the GIL held.
public enum EventLog {
  /// How much the hooks record.
  public enum Recording: Sendable {
    /// Nothing: the hooks return at once.
    case off
    /// Events without their stacks.
    case names
    /// Events with their Python stacks.
    case stacks
  }

  /// Sets what is recorded from now on (stacks, by default).
  public static func record(_ level: Recording) {
    switch level {
    case .off: gl_observe_record(GL_RECORD_OFF)
    case .names: gl_observe_record(GL_RECORD_NAMES)
    case .stacks: gl_observe_record(GL_RECORD_STACKS)
    }
  }

  /// Empties the log and frees its memory: only once nothing will read the events recorded
  /// so far (an ``ObservedEvent`` read before holds its own references). Later events start
  /// a new log at index 0.
  public static func release() {
    gl_event_release()
  }

  /// How many events have been recorded.
  public static var count: Int { gl_event_count() }

  /// The event at `index`.
  public static func event(at index: Int) -> ObservedEvent {
    let position = index
    let kind: ObservedEvent.Kind =
      switch gl_event_kind_at(position) {
      case GL_EVENT_IMPORT: .importModule
      case GL_EVENT_TRACER: .tracer
      case GL_EVENT_THREAD: .thread
      case GL_EVENT_ORIGINAL: .original
      default: .patchCall
      }
    let stack = (0..<Int(gl_event_frame_count(position))).map { frame in
      let index = Int32(frame)
      return StackFrame(
        file: text(gl_event_frame_file(position, index)),
        line: Int(gl_event_frame_line(position, index)),
        function: text(gl_event_frame_function(position, index)))
    }
    return ObservedEvent(
      index: index, kind: kind,
      subject: gl_event_subject(position).map { PythonObject(borrowing: $0) },
      thread: UInt(gl_event_thread(position)), stack: stack)
  }

  /// Every event from `start` on.
  public static func events(from start: Int = 0) -> [ObservedEvent] {
    (start..<count).map(event(at:))
  }

  /// The events of one kind, stacks built only for them.
  public static func events(_ kind: ObservedEvent.Kind, before end: Int? = nil) -> [ObservedEvent] {
    let shimKind = kind.shimValue
    return (0..<min(end ?? count, count)).filter { gl_event_kind_at($0) == shimKind }
      .map(event(at:))
  }

  /// The first import event of each of `modules`, comparing C strings before building any
  /// Swift value: a service of thousands of modules has thousands of import events.
  public static func firstImports(of modules: Set<String>) -> [String: ObservedEvent] {
    var found: [String: ObservedEvent] = [:]
    for index in 0..<count where gl_event_kind_at(index) == GL_EVENT_IMPORT {
      guard let subject = gl_event_subject(index), let name = gl_utf8(subject) else { continue }
      let text = String(cString: name)
      if modules.contains(text), found[text] == nil { found[text] = event(at: index) }
    }
    return found
  }

  private static func text(_ object: OpaquePointer?) -> String {
    object.flatMap { gl_utf8($0) }.map { String(cString: $0) } ?? "?"
  }
}
