import PythonRuntime

/// Makes every entry point of `subprocess` cooperative.
///
/// After a full `monkey_patch()` (eventlet 0.41.3) `subprocess.Popen`, `call` and
/// `check_call` are green, but `check_output` reaches the `run` that `patcher.inject` copied
/// into `eventlet.green.subprocess`, whose `Popen` is the native class: its pipes are not
/// green and `communicate()` blocks the hub, and so do `getoutput` and `getstatusoutput`,
/// which go through `check_output`. The swap rebuilds `run`, `getoutput` and
/// `getstatusoutput` from the original code inside the green module's namespace (so they
/// find the green `Popen`), then points the real `subprocess` module at the green versions.
/// Modules that import `subprocess` later get the same module object, so they are covered.
enum GreenSubprocess {
  /// The entry points greenlight guarantees cooperative, in documentation order.
  static let entryPoints = [
    "Popen", "call", "check_call", "check_output", "run", "getoutput", "getstatusoutput",
  ]

  /// Functions eventlet leaves bound to the native `Popen`.
  private static let rebuilt = ["run", "getoutput", "getstatusoutput"]

  /// Performs the swap. Requires eventlet imported and `monkey_patch()` done.
  static func install() throws(PythonError) {
    let green = try PythonObject.importModule("eventlet.green.subprocess")
    let native = try PythonObject.importModule("subprocess")
    let pristine = try green.attribute("subprocess_orig")
    let namespace = try green.attribute("__dict__")
    let functionType = try PythonObject.importModule("types").attribute("FunctionType")

    for name in rebuilt {
      let original = try pristine.attribute(name)
      let rebound = try functionType.call(
        try original.attribute("__code__"), namespace, try original.attribute("__name__"),
        try original.attribute("__defaults__"), try original.attribute("__closure__"))
      for copied in ["__kwdefaults__", "__qualname__", "__doc__", "__module__"] {
        try rebound.setAttribute(copied, to: try original.attribute(copied))
      }
      try namespace.setItem(name, to: rebound)
    }
    for name in entryPoints {
      guard let value = namespace.item(name) else { continue }
      try native.setAttribute(name, to: value)
    }
  }

  /// What each entry point calls, by name, in its module's globals.
  private static let calls: [String: [String]] = [
    "call": [], "check_call": ["call"], "check_output": ["run"], "run": [],
    "getstatusoutput": ["check_output"], "getoutput": ["getstatusoutput"],
  ]

  /// The entry points of the live `subprocess` module that block the hub. An entry point
  /// is cooperative when it is eventlet's green `Popen`, or a function whose globals hold
  /// the green `Popen` and whose callees (by the names it calls) are cooperative too:
  /// after eventlet's own patch, `check_output` has green globals but calls the copied
  /// `run`, whose globals hold the native `Popen`.
  static func nativeEntryPoints() throws(PythonError) -> [String] {
    let greenPopen = try PythonObject.importModule("eventlet.green.subprocess").attribute("Popen")
    let live = try PythonObject.importModule("subprocess")
    var native: [String] = []
    for name in entryPoints
    where
      !(try isCooperative(try live.attribute(name), name: name, greenPopen: greenPopen, depth: 0))
    {
      native.append(name)
    }
    return native
  }

  /// The verify step after a swap: nil when every entry point is cooperative, else the
  /// error that names those still native (`after` says after what).
  static func verification(after: String) throws(PythonError) -> LaunchError? {
    let native = try nativeEntryPoints()
    guard !native.isEmpty else { return nil }
    return LaunchError(
      .verify, status: ExitStatus.software,
      "subprocess is still native after \(after): \(native.joined(separator: ", ")).")
  }

  /// What `--verbose` says once the swap is done.
  static var done: String { entryPoints.joined(separator: ", ") + " are green" }

  private static func isCooperative(
    _ value: PythonObject, name: String, greenPopen: PythonObject, depth: Int
  ) throws(PythonError) -> Bool {
    if value.isIdentical(to: greenPopen) { return true }
    guard depth < 8, let globals = value.attributeIfPresent("__globals__"),
      let popen = globals.item("Popen"), popen.isIdentical(to: greenPopen)
    else { return false }
    for callee in calls[name] ?? [] {
      guard let function = globals.item(callee),
        try isCooperative(function, name: callee, greenPopen: greenPopen, depth: depth + 1)
      else { return false }
    }
    return true
  }
}
