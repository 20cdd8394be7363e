import PythonRuntime

/// debugpy's part of the debug mode: it was imported before the patch
/// (``DebugSession/prepare(_:_:)``); here it starts listening, and with `--wait` the
/// hand-off waits for a client.
enum Debugpy {
  static func listen(_ address: NetworkAddress, wait: Bool, _ say: Narrator) throws(PythonError) {
    let debugpy = try PythonObject.importModule("debugpy")
    let builtins = try PythonObject.importModule("builtins")
    let pair = try builtins.attribute("eval").call(
      try .string("(\(HandOff.pythonLiteral(address.numericHost)), \(address.port))"))
    try debugpy.attribute("listen").call(pair)
    say("debugpy", "listening on \(address)\(wait ? "; waiting for a client" : "")")
    if wait { try debugpy.attribute("wait_for_client").call() }
  }
}
