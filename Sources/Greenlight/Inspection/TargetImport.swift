import PythonRuntime

/// The import-target phase of `check`: load the target's module without running its
/// `__main__` code or calling its entry point, so that what its import does is judged.
enum TargetImport {
  /// What `check` can see of each kind of target.
  enum Visibility: Equatable {
    /// The module was imported; its function or `__main__` block was not run.
    case imported(module: String)
    /// `-c` code is the `__main__` code itself: check cannot run it without running the
    /// service, so only the phases before hand-off are judged.
    case notImported(reason: String)
  }

  /// Imports the target as `check` does. `-m` and entry points import the module by name
  /// (the working directory first on sys.path, as python -m); a FILE is loaded from its
  /// path as a module named after the file (its folder first on sys.path), so code under
  /// `if __name__ == "__main__":` does not run.
  static func load(_ target: LaunchTarget, entry: EntryPoint?) throws(PythonError) -> Visibility {
    let sys = try PythonObject.importModule("sys")
    let path = try sys.attribute("path")
    switch target {
    case .command:
      return .notImported(
        reason: "-c code is the service's __main__ code, which check does not run; only"
          + " what happens before hand-off is judged")
    case .module(let name):
      try path.attribute("insert").call(try int(0), try .string(FileSystem.currentDirectory()))
      _ = try PythonObject.importModule(name)
      return .imported(module: name)
    case .entry, .script:
      guard let entry else { return .notImported(reason: "no entry point") }
      try path.attribute("insert").call(try int(0), try .string(FileSystem.currentDirectory()))
      _ = try PythonObject.importModule(entry.module)
      return .imported(module: entry.module)
    case .file(let file):
      let absolute = FileSystem.absolute(file)
      try path.attribute("insert").call(try int(0), try .string(FileSystem.parent(absolute)))
      let stem = String(FileSystem.baseName(absolute).split(separator: ".").first ?? "main")
      let util = try PythonObject.importModule("importlib.util")
      // Imported by name when that name finds this very file (tracebacks then lose
      // importlib's frames, as for any import); otherwise loaded from its path.
      if EntryPoint.isDottedIdentifier(Substring(stem)), PythonObject.sysModules.item(stem) == nil,
        let spec = try? util.attribute("find_spec").call(try .string(stem)),
        let origin = spec.attributeIfPresent("origin")?.stringValue,
        FileSystem.realPath(origin) == FileSystem.realPath(absolute)
      {
        _ = try PythonObject.importModule(stem)
        return .imported(module: stem)
      }
      let name = "__greenlight_check__"
      let spec = try util.attribute("spec_from_file_location").call(
        try .string(name), try .string(absolute))
      let module = try util.attribute("module_from_spec").call(spec)
      try PythonObject.sysModules.setItem(name, to: module)
      try spec.attribute("loader").attribute("exec_module").call(module)
      return .imported(module: name)
    }
  }

  private static func int(_ value: Int) throws(PythonError) -> PythonObject {
    try PythonObject.importModule("builtins").attribute("int").call(try .string(String(value)))
  }
}
