import PythonRuntime

/// The canonical layout, judged: which modules run the monkey_patch call, and what their
/// parent packages loaded before it (GL104).
///
/// nova and cinder patch in a module under `svc/cmd/`; importing it runs `svc/__init__.py`
/// first, to completion. That layout is canonical only while the parent runs nothing of
/// note: its own import statements loaded nothing beyond the interpreter's start-up set,
/// eventlet, the service's patching modules, the allowed pre-imports and a version look-up
/// (`__future__`, `importlib.metadata`, `importlib_metadata`, `pbr.version`). A parent that
/// imports `logging` or `socket` has run the service's code unpatched. What a version
/// look-up loads in turn is GL101's: `importlib.metadata` loads socket and threading
/// (through email and zipfile), `pbr.version` no patch target.
extension InstantRules {
  /// A module that a parent package's own import statement loaded before the patch.
  struct ParentLoad {
    let package: String
    let module: String
    let line: Int
  }

  /// What a parent package may import and still run nothing of note: version look-ups.
  static let versionLookups: Set<String> = [
    "__future__", "importlib", "importlib.metadata", "importlib_metadata", "pbr", "pbr.version",
  ]

  /// The modules whose code is running the call: the caller, and every module of the
  /// service (or of the target's package) further down its stack, such as the console
  /// script that imported the patching module.
  func patchingModules() -> [String] {
    var modules: [String] = []
    for (index, frame) in call.stack.enumerated() {
      guard let name = view.moduleName(ofFile: frame.file), !modules.contains(name) else {
        continue
      }
      if index == 0 || isOwn(name) { modules.append(name) }
    }
    return modules
  }

  /// The service's, or an installed target's (`--entry nova.cmd.novncproxy:main`).
  func isOwn(_ module: String) -> Bool {
    view.origin(ofModule: module) == .service
      || view.topLevel(module) == inspector.context.targetPackage
  }

  /// The modules that `packages` (parents that ran to completion before the call) loaded
  /// with their own import statements, in import order, apart from what runs nothing of
  /// note.
  func parentLoads(
    _ packages: Set<String>, exempt: Set<String>, imports: [String: ObservedEvent]
  ) -> [ParentLoad] {
    var files: [String: String] = [:]
    for package in packages where isOwn(package) {
      if let file = view.file(ofModule: package) { files[file] = package }
    }
    guard !files.isEmpty else { return [] }
    let events = imports.values.sorted { $0.index < $1.index }
    return events.compactMap { event in
      guard let importer = event.stack.first, let package = files[importer.file] else {
        return nil
      }
      let name = event.name
      guard !exempt.contains(name), !inspector.startupModules.contains(name),
        !Self.versionLookups.contains(name), view.origin(ofModule: name) != .eventlet,
        !inspector.context.isAllowedPreImport(name), view.module(name) != nil
      else { return nil }
      return ParentLoad(package: package, module: name, line: importer.line)
    }
  }
}
