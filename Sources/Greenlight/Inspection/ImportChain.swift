import PythonRuntime

/// The import statements that led from the service's line to a module, as a reviewer reads
/// them: `nova/monkey_patch.py:59 → oslo_config/cfg.py:27 → threading`.
///
/// A stack is innermost first, importlib's frozen frames already left out (`gl_observe.c`,
/// `gl_frames.c`), at most `GL_MAX_FRAMES` deep: the chain runs from the responsible frame
/// to the innermost one, the statement that imported the module itself.
struct ImportChain: Equatable {
  /// The frames from the responsible one (outermost) to the innermost.
  let frames: [StackFrame]
  /// The module the chain ends in; nil when it ends in the innermost frame (a thread started
  /// by a module's top-level code).
  let module: String?

  /// The chain of an import event from `responsible`, a frame of its stack.
  init?(_ event: ObservedEvent, from responsible: StackFrame) {
    self.init(event.stack, ending: event.name, from: responsible)
  }

  /// The chain of `stack` from `responsible`; nil when `responsible` is not in `stack`.
  init?(_ stack: [StackFrame], ending module: String?, from responsible: StackFrame) {
    guard let end = stack.firstIndex(of: responsible) else { return nil }
    frames = Array(stack[...end].reversed())
    self.module = module
  }

  /// More than the service's own statement: a library's import loaded the module.
  var isIndirect: Bool { frames.count > 1 }

  /// Every frame is a module's top-level code: the chain is imports only.
  var isImportsOnly: Bool { frames.allSatisfy { $0.function == "<module>" } }

  /// `a.py:1 → b.py:2 → module`, each file as `short` shows it (``short(_:standardLibrary:display:)``).
  func description(_ short: (String) -> String) -> String {
    (frames.map { "\(short($0.file)):\($0.line)" } + (module.map { [$0] } ?? []))
      .joined(separator: " → ")
  }

  /// A path as a chain shows it: an installed file from its top-level package
  /// (`oslo_config/cfg.py`), a standard library file from the library's folder
  /// (`importlib/__init__.py`), anything else as `display` shows it.
  static func short(_ path: String, standardLibrary: String, display: (String) -> String)
    -> String
  {
    if let installed = CodeOrigin.installedPart(path) { return String(installed) }
    let library = standardLibrary + "/"
    if path.hasPrefix(library) { return String(path.dropFirst(library.count)) }
    return display(path)
  }

  /// The dotted module name of a path as ``short(_:standardLibrary:display:)`` gives it:
  /// `numpy/_core/multiarray.py` is `numpy._core.multiarray`, `a/__init__.py` is `a`.
  static func moduleName(_ short: String) -> String {
    var parts = short.split(separator: "/").map(String.init)
    if let last = parts.last, last.hasSuffix(".py") {
      parts[parts.count - 1] = String(last.dropLast(3))
    }
    if parts.count > 1, parts.last == "__init__" { parts.removeLast() }
    return parts.joined(separator: ".")
  }
}

extension ProcessView {
  /// A path as an import chain shows it (``ImportChain/short(_:standardLibrary:display:)``).
  func short(_ path: String) -> String {
    ImportChain.short(path, standardLibrary: standardLibrary, display: display)
  }
}
