import PythonRuntime

/// Part of the patch phase of `--patch first`: what `import eventlet` would load of other
/// distributions before greenlight's patch, moved to after it.
///
/// eventlet 0.41.3's `eventlet/greenio/base.py` runs `from OpenSSL import SSL` at import,
/// only to name pyOpenSSL's exception classes (`greenio.SSL.ZeroReturnError`, caught in
/// `eventlet.wsgi`); it defines stand-ins when pyOpenSSL is absent. With pyOpenSSL
/// installed, that import loads cryptography's `binding` module, whose
/// `Binding._init_lock = threading.Lock()` is then made before any patch: a native lock in
/// the green process, and `import eventlet` is the only way to reach `monkey_patch`.
/// greenlight holds `OpenSSL` off while eventlet is imported and patched (`sys.modules`
/// maps it to None, so the import raises ImportError and eventlet takes its stand-ins),
/// then imports `OpenSSL.SSL` for real and gives it to `eventlet.greenio`: the same modules
/// are loaded as before, after the patch, so the lock is green.
enum PatchFirstOrder {
  /// The top-level modules held off until after the patch.
  static let heldOff = ["OpenSSL"]

  /// The names this call held off (absent from `sys.modules` when it ran), to hand back to
  /// `restore`.
  static func holdOff() throws(PythonError) -> [String] {
    var held: [String] = []
    for name in heldOff where PythonObject.sysModules.item(name) == nil {
      try PythonObject.sysModules.setItem(name, to: .none)
      held.append(name)
    }
    return held
  }

  /// Takes the held-off names out of `sys.modules` again; after a patch, imports pyOpenSSL
  /// where eventlet fell back to its stand-ins. Returns what it imported.
  @discardableResult
  static func restore(_ held: [String], patched: Bool) throws(PythonError) -> [String] {
    for name in held where PythonObject.sysModules.item(name)?.isNone == true {
      _ = try PythonObject.sysModules.attribute("pop").call(try .string(name))
    }
    guard patched, held.contains("OpenSSL"),
      let base = PythonObject.sysModules.item("eventlet.greenio.base"),
      let standIn = base.attributeIfPresent("SSL"), !standIn.isModule
    else { return [] }
    let imported: Result<PythonObject, PythonError>
    do {
      imported = .success(try PythonObject.importModule("OpenSSL.SSL"))
    } catch {
      imported = .failure(error)
    }
    switch imported {
    case .success(let ssl):
      try base.setAttribute("SSL", to: ssl)
      if let greenio = PythonObject.sysModules.item("eventlet.greenio"),
        greenio.attributeIfPresent("SSL")?.isIdentical(to: standIn) == true
      {
        try greenio.setAttribute("SSL", to: ssl)
      }
      return ["OpenSSL.SSL"]
    case .failure(let error):
      // eventlet catches ImportError here and keeps its stand-ins; so does greenlight.
      guard error.missingModule != nil || error.typeName == "ImportError" else { throw error }
      return []
    }
  }
}
