import PythonRuntime

/// greenlight's Python glue: each piece is a file of `Python/`, embedded in the binary at
/// build time (SwiftPM's `.embedInCode` makes each file a `[UInt8]` of `PackageResources`),
/// so nothing is read at run time. Values from Swift reach a piece as globals of its
/// namespace or as arguments of its functions, never spliced into its source.
enum PythonGlue {
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

  /// Compiles the piece as `fileName` (what tracebacks show) and runs it in a new
  /// namespace whose `__name__` is `name`; returns the namespace. GIL held.
  func load(name: String, fileName: String = "<string>") throws(PythonError) -> PythonObject {
    let builtins = try PythonObject.importModule("builtins")
    let namespace = try builtins.attribute("dict").call()
    try namespace.setItem("__name__", to: try .string(name))
    let compiled = try builtins.attribute("compile").call(
      try .string(source), try .string(fileName), try .string("exec"))
    try builtins.attribute("exec").call(compiled, namespace)
    return namespace
  }
}
