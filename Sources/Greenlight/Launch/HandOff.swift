import PythonRuntime

/// How a launch target becomes what the interpreter runs and what `sys.argv` holds, with
/// `python`'s semantics for `-m`, `-c` and FILE.
struct HandOff: Equatable {
  /// What `Py_RunMain` runs.
  let target: RunTarget
  /// `sys.argv` as CPython receives it (it rewrites `argv[0]` for `-m`).
  let arguments: [[UInt8]]
  /// The entry point for `--entry` and `--script`.
  let entry: EntryPoint?
  /// The target's top-level package: its own modules may patch on import.
  let targetPackage: String?
  /// `sys.argv[0]` as the entry point's wrapper sets it.
  let entryArgv0: String?

  /// The service's packages under `policy`: the target's and the policy's.
  func service(_ policy: Policy) -> ServicePackages {
    ServicePackages(target: targetPackage, named: policy.servicePackages)
  }

  /// `-m`, `-c` and FILE map onto python's own; an entry point runs as a console script's
  /// wrapper does: import the module, call the attribute, `sys.exit` with its result.
  init(target: LaunchTarget, scriptPath: String?, entry: EntryPoint?, arguments: [[UInt8]]) {
    self.entry = entry
    entryArgv0 = entry.map { scriptPath ?? $0.description }
    switch target {
    case .module(let name): targetPackage = String(name.prefix { $0 != "." })
    case .entry, .script: targetPackage = entry.map { String($0.module.prefix { $0 != "." }) }
    // check imports a FILE as a module named after it (or __greenlight_check__).
    case .file(let path):
      targetPackage = String(FileSystem.baseName(path).split(separator: ".").first ?? "")
    case .command: targetPackage = nil
    }
    switch target {
    case .module(let name):
      self.target = .module(name)
      self.arguments = [Array("-m".utf8)] + arguments
    case .command(let code):
      // python appends a newline to -c code before compiling it.
      self.target = .command(code + "\n")
      self.arguments = [Array("-c".utf8)] + arguments
    case .file(let path):
      self.target = .file(path)
      self.arguments = [Array(path.utf8)] + arguments
    case .entry, .script:
      // The wrapper (`Python/entry.py`) finds its entry point in `__main__`, put there by
      // ``prepareMain()``.
      self.target = .command(PythonGlue.entry.source)
      // "-m" as argv[0] makes CPython put the working directory (absolute) in sys.path[0],
      // as for python -m; the code then sets the argv[0] a console script would see.
      self.arguments = [Array("-m".utf8)] + arguments
    }
  }

  /// Puts what the entry point's wrapper runs in `__main__` (`__greenlight_entry__`: a dict
  /// of `argv0`, `module`, `attribute`), just before `Py_RunMain` runs it. Nothing for other
  /// targets. GIL held.
  func prepareMain() throws(PythonError) {
    guard let entry, let entryArgv0 else { return }
    let values = try PythonObject.importModule("builtins").attribute("dict").call()
    try values.setItem("argv0", to: try .string(entryArgv0))
    try values.setItem("module", to: try .string(entry.module))
    try values.setItem("attribute", to: try .string(entry.attribute))
    try PythonObject.importModule("__main__").setAttribute("__greenlight_entry__", to: values)
  }

  /// A Python string literal for any text: printable ASCII kept, everything else escaped.
  static func pythonLiteral(_ text: String) -> String {
    var literal = "'"
    for scalar in text.unicodeScalars {
      switch scalar {
      case "\\": literal += "\\\\"
      case "'": literal += "\\'"
      case " "..."~": literal.unicodeScalars.append(scalar)
      default:
        let hex = String(scalar.value, radix: 16)
        literal += "\\U" + String(repeating: "0", count: 8 - hex.count) + hex
      }
    }
    return literal + "'"
  }
}
