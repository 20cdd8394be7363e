import PythonRuntime

/// The mode a launch runs in, and why: `--patch auto` (the default) reads the service's own
/// source once the interpreter has started and before any of it runs.
///
/// - A service whose code decides its concurrency at run time (a `monkey_patch` call inside
///   a function or under a condition, a project's own patch wrapper, oslo.service's
///   `init_backend`) runs as `target`: greenlight patches nothing first, completes the
///   service's own patch the instant it returns, and judges a service that never patched as
///   native. nova, swift and the dual-mode oslo.service projects are of this kind.
/// - Any other service runs as `first`: one that always patches (an unconditional
///   `eventlet.monkey_patch()` at a module's top level, which then changes nothing), one
///   that imports eventlet and leaves the patch to its launcher, and one whose code never
///   mentions eventlet (plain threading code made green by its launcher).
///
/// An explicit `first`, `target` or `none` is taken as given.
struct PatchDecision: Sendable {
  /// `first`, `target` or `none`: never `auto`.
  let mode: PatchMode
  /// What the service's source says; empty for an explicit mode that needs no reading.
  let source: ServiceSource
  /// Why, in a few words, for `-v`.
  let reason: String

  /// The decision for `requested`; `roots` is read for `auto` and `target`.
  static func decide(
    _ requested: PatchMode, reading roots: () -> ServiceSource, display: (String) -> String
  ) -> PatchDecision {
    switch requested {
    case .auto: break
    // target judges a service that never patched by whether its code patches later.
    case .target: return PatchDecision(mode: requested, source: roots(), reason: "as asked")
    case .first, .none:
      return PatchDecision(mode: requested, source: ServiceSource(), reason: "as asked")
    }
    let source = roots()
    func shown(_ location: SourceLocation) -> String {
      SourceLocation(file: display(location.file), line: location.line).description
    }
    if let site = source.decidingSite {
      return PatchDecision(
        mode: .target, source: source,
        reason: "the service decides its concurrency at run time, at \(shown(site))")
    }
    if let site = source.unconditionalPatch {
      return PatchDecision(
        mode: .first, source: source,
        reason: "the service always patches (\(shown(site))): greenlight patches first")
    }
    if let site = source.eventletImport {
      return PatchDecision(
        mode: .first, source: source,
        reason: "the service imports eventlet at \(shown(site)) and leaves the patch to its"
          + " launcher")
    }
    return PatchDecision(
      mode: .first, source: source,
      reason: "the service's code never patches (\(source.filesRead)"
        + " \(source.filesRead == 1 ? "file" : "files") read): greenlight"
        + " patches first")
  }

  /// What the code the service runs says: the entry `module` (with `python -m`'s
  /// `__main__.py` for a package) or the script `file`, and every module of the service they
  /// import, where the service is the module's top-level package and `packages` (the
  /// policy's `service-packages`), found as Python would find them without importing
  /// anything, and a script's own folder.
  static func source(module: String?, file: String? = nil, packages: [String]) -> ServiceSource {
    let top = module.map { String($0.prefix { $0 != "." }) }
    var folders: [String: [String]] = [:]
    for name in (top.map { [$0] } ?? []) + packages where folders[name] == nil {
      folders[name] = locations(ofTopLevel: name)
    }
    var start: [String] = []
    if let module {
      start = ServiceSource.files(of: module, packages: folders, folders: [])
      if let last = start.last, last.hasSuffix("/__init__.py") {
        let main = String(last.dropLast("__init__.py".count)) + "__main__.py"
        if FileSystem.exists(main) { start.append(main) }
      }
    }
    var scriptFolders: [String] = []
    if let file {
      start.insert(file, at: 0)
      scriptFolders = [FileSystem.parent(FileSystem.absolute(file))]
    }
    return ServiceSource.follow(start, packages: folders, folders: scriptFolders)
  }

  /// Where a top-level module or package lives: the folders of a package (several for a
  /// namespace package), or the file of a module, as `sys.meta_path`'s finders say. A
  /// top-level name's spec is found without importing anything.
  static func locations(ofTopLevel name: String) -> [String] {
    guard let finders = try? PythonObject.importModule("sys").attribute("meta_path").elements()
    else { return [] }
    for finder in finders {
      guard let find = finder.attributeIfPresent("find_spec"),
        let spec = try? find.call(PythonObject.string(name), PythonObject.none), !spec.isNone
      else { continue }
      if let folders = spec.attributeIfPresent("submodule_search_locations"), !folders.isNone,
        let paths = try? folders.elements().compactMap(\.stringValue), !paths.isEmpty
      {
        return paths
      }
      if let origin = spec.attributeIfPresent("origin")?.stringValue, origin.hasSuffix(".py") {
        return [origin]
      }
      return []
    }
    return []
  }

  /// The `test_path` of a `.stestr.conf` in `folder`, relative to `folder` or absolute.
  static func stestrTestPath(in folder: String) -> [String] {
    guard let text = FileSystem.readText(folder + "/.stestr.conf") else { return [] }
    for line in text.split(separator: "\n") {
      let parts = line.split(separator: "=", maxSplits: 1).map {
        String($0.trimmingWhitespace())
      }
      guard parts.count == 2, parts[0] == "test_path" else { continue }
      let path = parts[1].hasPrefix("/") ? parts[1] : folder + "/" + parts[1]
      return FileSystem.exists(path) ? [path] : []
    }
    return []
  }

  /// The packages and modules of a project checkout: the working directory's top-level
  /// packages (folders with `__init__.py`) and `.py` files, and those under `src/`.
  static func projectRoots(in folder: String) -> [String] {
    var roots: [String] = []
    for base in [folder, folder + "/src"] {
      for name in FileSystem.contents(of: base) where !name.hasPrefix(".") {
        let path = base + "/" + name
        if name.hasSuffix(".py") || FileSystem.exists(path + "/__init__.py") {
          roots.append(path)
        }
      }
    }
    return roots
  }
}
