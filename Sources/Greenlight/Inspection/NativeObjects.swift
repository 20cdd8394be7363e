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
  /// How far from a module global the walk goes.
  static let depth = 3

  func judge() throws(PythonError) -> [Finding] {
    guard let types = inspector.nativeTypes, !inspector.calls.isEmpty else { return [] }
    // Every path to each native object; one finding per object, by identity.
    var paths:
      [UInt: (kind: Kind, found: [(path: String, module: String, location: SourceLocation?)])] = [:]
    var order: [UInt] = []
    var seen: Set<UInt> = []
    for module in try view.moduleNames() {
      let origin = view.origin(ofModule: module)
      guard origin == .service || origin == .library,
        let namespace = view.module(module)?.attributeIfPresent("__dict__")
      else { continue }
      let file = view.file(ofModule: module)
      let source = SourceLines(file: file)
      // Containers are walked once per module (the depth bounds cycles), so that an object
      // reachable from several modules is seen from each of them.
      seen = []
      for (key, value) in try namespace.items() {
        guard let name = key.stringValue, !name.hasPrefix("__") else { continue }
        try walk(
          value, path: "\(module).\(name)", depth: Self.depth, types: types, seen: &seen
        ) { path, kind, identity in
          let location = file.map {
            SourceLocation(file: view.display($0), line: source.binding(of: name))
          }
          if paths[identity] == nil { order.append(identity) }
          paths[identity, default: (kind, [])].found.append((path, module, location))
        }
      }
    }
    // Name each object by the path from its deepest module: the submodule that made it,
    // rather than the package that re-exports it.
    return order.map { identity in
      let (kind, found) = paths[identity]!
      let best = found.max {
        $0.module.split(separator: ".").count < $1.module.split(separator: ".").count
      }!
      return finding(kind, path: best.path, location: best.location)
    }
  }

  private enum Kind { case lock, reentrantLock, local }

  private func walk(
    _ value: PythonObject, path: String, depth: Int, types: NativeTypes, seen: inout Set<UInt>,
    found: (String, Kind, UInt) -> Void
  ) throws(PythonError) {
    let type = value.type
    if type.isIdentical(to: types.lock) { return found(path, .lock, value.identity) }
    if type.isIdentical(to: types.reentrantLock) {
      return found(path, .reentrantLock, value.identity)
    }
    if type.isIdentical(to: types.local) { return found(path, .local, value.identity) }
    guard depth > 0, !value.isModule, !value.isType, seen.insert(value.identity).inserted else {
      return
    }
    if value.isDictionary {
      for (key, item) in try value.items() {
        let label = key.stringValue.map { "[\(HandOff.pythonLiteral($0))]" } ?? "[…]"
        try walk(
          item, path: path + label, depth: depth - 1, types: types, seen: &seen, found: found)
      }
    } else if ["list", "tuple", "set"].contains(type.attributeIfPresent("__name__")?.stringValue) {
      for (index, item) in try value.elements().enumerated() {
        try walk(
          item, path: "\(path)[\(index)]", depth: depth - 1, types: types, seen: &seen, found: found
        )
      }
    } else if let attributes = value.attributeIfPresent("__dict__"), attributes.isDictionary,
      !value.hasAttribute("__code__")
    {
      for (key, item) in try attributes.items() {
        guard let name = key.stringValue else { continue }
        try walk(
          item, path: "\(path).\(name)", depth: depth - 1, types: types, seen: &seen, found: found)
      }
    }
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
