import PythonRuntime

/// Questions about the live interpreter that the rules ask, answered over the C API.
struct ProcessView {
  /// `<sys.base_prefix>/lib/python3.11`: the standard library's folder.
  let standardLibrary: String
  /// The working directory, for showing paths relative to it.
  let workingDirectory: String
  /// The service's packages: their code is the service's wherever it is installed.
  let service: ServicePackages
  private let origins = OriginCache()

  /// Origins by file, computed once: the rules ask for thousands.
  private final class OriginCache {
    var byFile: [String: CodeOrigin] = [:]
    var byModule: [String: CodeOrigin] = [:]
  }

  init(service: ServicePackages) throws(PythonError) {
    self.service = service
    let sys = try PythonObject.importModule("sys")
    let base = try sys.attribute("base_prefix").stringValue ?? "/usr"
    let version = PythonVersion.linked
    standardLibrary = "\(base)/lib/python\(version)"
    workingDirectory = FileSystem.currentDirectory()
  }

  /// The names in `sys.modules`, in insertion order.
  func moduleNames() throws(PythonError) -> [String] {
    try PythonObject.sysModules.elements().compactMap(\.stringValue)
  }

  /// `sys.modules[name]`.
  func module(_ name: String) -> PythonObject? {
    PythonObject.sysModules.item(name)
  }

  /// A module's `__file__`, from its namespace: an object standing in for a module may
  /// define `__getattribute__`, the service's code.
  func file(ofModule name: String) -> String? {
    module(name)?.namespace?.item("__file__")?.stringValue
  }

  func origin(ofModule name: String) -> CodeOrigin {
    if let known = origins.byModule[name] { return known }
    let origin: CodeOrigin
    if CodeOrigin.eventletPackages.contains(topLevel(name)) {
      origin = .eventlet
    } else {
      let file = file(ofModule: name)
      if file == nil, service.contains(topLevel(name)) {
        origin = .service  // a namespace package of the service's
      } else {
        origin = self.origin(ofFile: file)
      }
    }
    origins.byModule[name] = origin
    return origin
  }

  func origin(ofFile file: String?) -> CodeOrigin {
    guard let file else { return .standardLibrary }
    if let known = origins.byFile[file] { return known }
    let origin = CodeOrigin(path: file, standardLibrary: standardLibrary, service: service)
    origins.byFile[file] = origin
    return origin
  }

  /// The frame a reviewer should look at: the innermost in the service's code (its
  /// installed packages included), else the innermost in a library, else the innermost.
  func responsibleFrame(_ stack: [StackFrame]) -> StackFrame? {
    stack.first { origin(ofFile: $0.file) == .service }
      ?? stack.first { origin(ofFile: $0.file) == .library } ?? stack.first
  }

  /// A frame as a finding's location, relative to the working directory when inside it.
  func location(_ frame: StackFrame?) -> SourceLocation? {
    frame.map { SourceLocation(file: display($0.file), line: $0.line) }
  }

  /// A path as shown to a person: relative to the working directory when inside it.
  func display(_ path: String) -> String {
    let prefix = workingDirectory.hasSuffix("/") ? workingDirectory : workingDirectory + "/"
    return path.hasPrefix(prefix) ? String(path.dropFirst(prefix.count)) : path
  }

  /// The name of the module whose file is `file`, if one is loaded.
  func moduleName(ofFile file: String) -> String? {
    guard let names = try? moduleNames() else { return nil }
    return names.first { self.file(ofModule: $0) == file }
  }

  /// Whether a module's import is still running (`__spec__._initializing`).
  func isInitializing(_ name: String) -> Bool {
    module(name)?.namespace?.item("__spec__")?.attributeIfPresent("_initializing")?.isTrue
      ?? false
  }

  func topLevel(_ name: String) -> String {
    // By bytes: it runs for every module a start-up loads, and a Character-wise prefix cost
    // about 4,000 instructions a name.
    guard let dot = name.utf8.firstIndex(of: UInt8(ascii: ".")) else { return name }
    return String(name[..<dot])
  }

  /// `name` and its parent packages: `a.b.c` gives `a`, `a.b`, `a.b.c`.
  func selfAndParents(_ name: String) -> Set<String> {
    var result: Set<String> = []
    var prefix = ""
    for part in name.split(separator: ".") {
      prefix = prefix.isEmpty ? String(part) : prefix + "." + part
      result.insert(prefix)
    }
    return result
  }
}
