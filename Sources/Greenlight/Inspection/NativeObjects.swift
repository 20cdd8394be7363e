import CPythonShims
import PythonRuntime

/// `_thread`'s native types, captured before the first patch replaces them.
struct NativeTypes {
  let lock: PythonObject
  let reentrantLock: PythonObject
  let local: PythonObject

  init() throws(PythonError) {
    let thread = try PythonObject.importModule("_thread")
    lock = try thread.attribute("LockType")
    reentrantLock = try thread.attribute("RLock")
    local = try thread.attribute("_local")
  }
}

/// GL108 and GL109: native locks and thread-locals made before patching that are still
/// reachable from the service's and its libraries' modules: module globals, the attributes
/// of objects and classes they hold, and the items of their lists, tuples and dicts, named
/// by their owner (`prometheus_client.registry.REGISTRY._lock`).
struct NativeObjects {
  let inspector: Inspector
  private var view: ProcessView { inspector.view }
  /// How far from a module global the walk goes (gl_scan_native_instances).
  static let depth = 3

  func judge() throws(PythonError) -> [Finding] {
    guard let types = inspector.nativeTypes, !inspector.calls.isEmpty else { return [] }
    // Every path to each native object; one finding per object, by identity.
    var paths:
      [Int: (kind: Kind, found: [(path: String, module: String, location: SourceLocation?)])] = [:]
    var order: [Int] = []
    for module in try view.moduleNames() where inspector.isInspected(module) {
      guard let namespace = view.module(module)?.namespace else { continue }
      let name = try PythonObject.string(module)
      let hits = try PythonError.check(
        withExtendedLifetime((namespace, name)) {
          gl_scan_native_instances(
            namespace.pointer, name.pointer, types.lock.pointer, types.reentrantLock.pointer,
            types.local.pointer, Int32(Self.depth))
        })
      let found = try hits.elements()
      guard !found.isEmpty else { continue }
      let file = view.file(ofModule: module)
      let source = SourceLines(file: file)
      for hit in found {
        let parts = try hit.elements()
        guard parts.count == 3, let path = parts[0].stringValue,
          let kind = parts[1].integerValue.flatMap(Kind.init(rawValue:)),
          let identity = parts[2].integerValue
        else { continue }
        let global = String(path.prefix { $0 != "." && $0 != "[" })
        let location = file.map {
          SourceLocation(
            file: view.display($0),
            line: source.definition(of: global))
        }
        if paths[identity] == nil { order.append(identity) }
        paths[identity, default: (kind, [])].found.append(("\(module).\(path)", module, location))
      }
    }
    // Name each object by the path from its deepest module: the submodule that made it,
    // rather than the package that re-exports it.
    let named = order.map { identity in
      let (kind, found) = paths[identity]!
      let best = found.max {
        $0.module.split(separator: ".").count < $1.module.split(separator: ".").count
      }!
      return (kind: kind, path: best.path, module: best.module, location: best.location)
    }
    // One cause, one finding: the locks of one global's members that differ in one name
    // only (each `functools.cached_property` of a class owns an RLock) are reported once.
    var groups: [String: (pattern: String?, members: [(path: String, location: SourceLocation?)])] =
      [:]
    var groupOrder: [(key: String, kind: Kind, module: String)] = []
    for object in named {
      let pattern = Self.siblingPattern(object.path, in: object.module)
      let key = "\(object.kind.rawValue) \(pattern ?? object.path)"
      if groups[key] == nil { groupOrder.append((key, object.kind, object.module)) }
      groups[key, default: (pattern, [])].members.append((object.path, object.location))
    }
    let eventletLoads = EventletImportLoads(inspector: inspector)
    return groupOrder.map { key, kind, module in
      let (pattern, members) = groups[key]!
      let found =
        members.count > 1 && pattern != nil
        ? finding(
          kind, siblings: members.map(\.path), pattern: pattern!, location: members[0].location)
        : finding(kind, path: members[0].path, location: members[0].location)
      return eventletLoads.frame(loading: module).map { madeByEventlet(found, module, $0) }
        ?? found
    }
  }

  /// A finding about what the service's own `import eventlet` made: info, at eventlet's
  /// line (EventletImportLoads says why).
  private func madeByEventlet(_ finding: Finding, _ module: String, _ frame: StackFrame)
    -> Finding
  {
    var lowered = finding
    lowered.severity = .info
    let line = view.location(frame)?.description ?? frame.file
    lowered.message +=
      " It was made while the service's own import of eventlet loaded \(module) (\(line)),"
      + " which no service can patch before: eventlet's doing, not the service's."
    lowered.fix =
      "Nothing to change in the service; under --patch first greenlight patches before"
      + " eventlet's import loads pyOpenSSL and cryptography, and their locks are green."
    return lowered
  }

  /// `module.Global.*.rest` for `module.Global.member.rest` (a path at least two steps
  /// below a module global), the shape shared by the locks of one global's members.
  static func siblingPattern(_ path: String, in module: String) -> String? {
    guard path.hasPrefix(module + ".") else { return nil }
    var steps = path.dropFirst(module.count + 1).split(
      separator: ".", omittingEmptySubsequences: false)
    guard steps.count >= 3 else { return nil }
    steps[1] = "*"
    return module + "." + steps.joined(separator: ".")
  }

  private enum Kind: Int { case lock = 0, reentrantLock = 1, local = 2 }

  /// One finding for the locks of a global's members, named by their shared shape.
  private func finding(
    _ kind: Kind, siblings: [String], pattern: String, location: SourceLocation?
  ) -> Finding {
    let what = kind == .lock ? "locks" : kind == .reentrantLock ? "RLocks" : "thread-locals"
    let members = siblings.compactMap { path -> String? in
      let steps = path.split(separator: ".", omittingEmptySubsequences: false)
      let index = pattern.split(separator: ".", omittingEmptySubsequences: false)
        .firstIndex(of: "*")
      return index.flatMap { $0 < steps.count ? String(steps[$0]) : nil }
    }
    let shown = members.prefix(6).joined(separator: ", ") + (members.count > 6 ? ", ..." : "")
    let rule: Rule = kind == .local ? .nativeThreadLocal : .nativeLock
    let harm =
      kind == .local
      ? "every green thread shares each of them, so per-request state leaks between requests."
      : "two green threads contending for any of them block the whole process."
    return Finding(
      rule,
      message: "\(pattern) are \(siblings.count) native \(what) in a patched process, one for"
        + " each of \(shown) (made before patching, or through a stale reference); \(harm)",
      subject: pattern, location: location)
  }

  private func finding(_ kind: Kind, path: String, location: SourceLocation?) -> Finding {
    switch kind {
    case .lock, .reentrantLock:
      let what = kind == .lock ? "lock" : "RLock"
      return Finding(
        .nativeLock,
        message: "\(path) is a native \(what) in a patched process (made before patching, or"
          + " through a stale reference); two green threads contending for it block the whole"
          + " process.",
        subject: path, location: location)
    case .local:
      return Finding(
        .nativeThreadLocal,
        message: "\(path) is a native thread-local in a patched process; every green thread"
          + " shares it, so per-request state leaks between requests.",
        subject: path, location: location)
    }
  }
}
