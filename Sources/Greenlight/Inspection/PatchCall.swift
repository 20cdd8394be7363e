import PythonRuntime

/// One call of `eventlet.monkey_patch`, as the watch saw it.
struct PatchCall {
  /// The call's event; events with a smaller index happened before it.
  let event: ObservedEvent
  /// The keyword arguments as given.
  let arguments: [String: Bool]
  /// The caller's stack, innermost first; empty when greenlight itself called.
  var stack: [StackFrame] { event.stack }
  /// Whether greenlight made the call (`--patch first`).
  var isGreenlight: Bool { event.stack.isEmpty }

  init(event: ObservedEvent) throws(PythonError) {
    self.event = event
    var arguments: [String: Bool] = [:]
    for (key, value) in try event.subject?.items() ?? [] {
      if let name = key.stringValue { arguments[name] = value.isTrue }
    }
    self.arguments = arguments
  }

  /// The modules the call patches, computed as eventlet 0.41.3's monkey_patch does: with no
  /// True argument everything is on except MySQLdb and builtins, which are opt-in.
  var effective: [String: Bool] { Self.effective(arguments) }

  /// eventlet's defaulting of `monkey_patch(**on)`, on plain arguments.
  static func effective(_ arguments: [String: Bool]) -> [String: Bool] {
    var on = arguments
    on["builtins"] = on["builtins"] ?? on.removeValue(forKey: "__builtin__")
    let everything = on.removeValue(forKey: "all") ?? !on.values.contains(true)
    for name in Self.accepted where on[name] == nil {
      on[name] = (name == "MySQLdb" || name == "builtins") ? false : everything
    }
    return on.compactMapValues { $0 }
  }

  /// Whether a call patched nothing it was asked for and left one of the core modules
  /// unpatched while patching others.
  var unpatchedCoreModules: [String] { Self.unpatchedCoreModules(arguments) }

  /// The core modules a call with these arguments leaves native while patching others.
  static func unpatchedCoreModules(_ arguments: [String: Bool]) -> [String] {
    let on = effective(arguments)
    guard Self.core.contains(where: { on[$0] == true }) else { return [] }
    return Self.core.filter { on[$0] == false }
  }

  /// How the call reads in a message: `monkey_patch(os=False, thread=False)`.
  var spelled: String {
    let text = arguments.keys.sorted().map { "\($0)=\(arguments[$0]! ? "True" : "False")" }
    return "monkey_patch(\(text.joined(separator: ", ")))"
  }

  static let accepted = [
    "os", "select", "socket", "thread", "time", "psycopg", "MySQLdb", "builtins", "subprocess",
  ]
  /// The modules whose absence breaks green threads: a native lock, sleep, socket or select
  /// in a green process blocks the hub.
  static let core = ["thread", "time", "socket", "select"]
}
