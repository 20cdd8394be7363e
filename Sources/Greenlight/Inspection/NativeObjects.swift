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
    return order.map { identity in
      let (kind, found) = paths[identity]!
      let best = found.max {
        $0.module.split(separator: ".").count < $1.module.split(separator: ".").count
      }!
      return finding(kind, path: best.path, location: best.location)
    }
  }

  private enum Kind: Int { case lock = 0, reentrantLock = 1, local = 2 }

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
