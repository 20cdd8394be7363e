import PythonRuntime

/// greenlight's Python glue: each piece is a file of `Python/`, embedded in the binary at
/// build time (SwiftPM's `.embedInCode` makes each file a `[UInt8]` of `PackageResources`),
/// so nothing is read at run time. Values from Swift reach a piece as globals of its
/// namespace or as arguments of its functions, never spliced into its source.
enum PythonGlue: CaseIterable {
  /// The backdoor, its console and the stack dump (`greenlight debug`).
  case debug
  /// debugpy's pre-import, listener and wait.
  case debugpy
  /// `os.read` and `os.write` for character devices.
  case devices
  /// The wrapper of an entry point, run as `-c` code.
  case entry
  /// The finder of `--forbid-eventlet`.
  case forbidEventlet
  /// The probe of a stand-in for `time.sleep`.
  case sleepProbe
  /// The finder that watches `eventlet.patcher.monkey_patch`.
  case watch

  /// The piece's source text.
  var source: String { String(decoding: bytes, as: UTF8.self) }

  /// The file name the piece is compiled as: what tracebacks, and the glue's own frame
  /// filters, show.
  var fileName: String { compiled?.fileName ?? "<string>" }

  private var bytes: [UInt8] {
    switch self {
    case .debug: PackageResources.debug_py
    case .debugpy: PackageResources.debugpy_py
    case .devices: PackageResources.devices_py
    case .entry: PackageResources.entry_py
    case .forbidEventlet: PackageResources.forbid_eventlet_py
    case .sleepProbe: PackageResources.sleep_probe_py
    case .watch: PackageResources.watch_py
    }
  }

  /// The piece as compiled at build time (the GlueBytecode plugin); nil for entry, which
  /// runs as `-c` code.
  var compiled: (fileName: String, code: [UInt8])? {
    switch self {
    case .debug: GlueBytecode.debug
    case .debugpy: GlueBytecode.debugpy
    case .devices: GlueBytecode.devices
    case .entry: nil
    case .forbidEventlet: GlueBytecode.forbidEventlet
    case .sleepProbe: GlueBytecode.sleepProbe
    case .watch: GlueBytecode.watch
    }
  }

  /// The piece's code object: the build's marshalled code when the linked interpreter reads
  /// that marshal format (the same magic number), else the source compiled now. Compiling
  /// costs every start, and a process's first compile also builds the AST types. GIL held.
  func code() throws(PythonError) -> PythonObject {
    if let compiled, GlueBytecode.magic == Interpreter.magicNumber {
      return try compiled.code.withUnsafeBufferPointer { (buffer) throws(PythonError) in
        try PythonObject.unmarshal(buffer)
      }
    }
    let builtins = try PythonObject.importModule("builtins")
    return try builtins.attribute("compile").call(
      try .string(source), try .string(fileName), try .string("exec"))
  }

  /// Runs the piece in a new namespace whose `__name__` is `name`; returns the namespace.
  /// GIL held.
  func load(name: String) throws(PythonError) -> PythonObject {
    let builtins = try PythonObject.importModule("builtins")
    let namespace = try builtins.attribute("dict").call()
    try namespace.setItem("__name__", to: try .string(name))
    try builtins.attribute("exec").call(try code(), namespace)
    return namespace
  }
}
