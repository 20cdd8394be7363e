import PythonRuntime

/// debugpy in the debug mode. debugpy (pydevd) must keep native threads, native locks and
/// native sockets while the service's are green: with its threads green and its locks
/// native (what a plain pre-import gives, since monkey_patch patches `threading` in place)
/// the first request that needs the stopped thread deadlocks the hub. pydevd's gevent
/// support (`GEVENT_SUPPORT`) imports private copies of threading, socket, time, queue and
/// select before the patch, which the patch does not reach. Its greenlet integration
/// (`GEVENT_SHOW_PAUSED_GREENLETS`: every parked green thread appears as a thread in the
/// client) imports gevent only to read its version, so a stand-in module is in
/// `sys.modules` for the length of the import, and gone before the service starts.
enum Debugpy {
  /// Run as Python code, before the patch. debugpy's listener is started after the patch
  /// (its adapter is a subprocess, started green).
  private static let preImportCode = #"""
    import os, sys, types
    os.environ.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")  # frozen modules: stdlib only
    _given = {name: os.environ.get(name) for name in ("GEVENT_SUPPORT", "GEVENT_SHOW_PAUSED_GREENLETS")}
    os.environ["GEVENT_SUPPORT"] = "True"
    os.environ.setdefault("GEVENT_SHOW_PAUSED_GREENLETS", "True")
    # pydevd's greenlet integration asks gevent for its version and nothing else: a stand-in
    # for the length of the import, gone before the service could see it.
    _stand_in = types.ModuleType("gevent")
    _stand_in.__version__ = "0.0"
    _stand_in.__file__ = "<none>"
    sys.modules.setdefault("gevent", _stand_in)
    try:
        import debugpy
        import debugpy.server.api
    finally:
        if sys.modules.get("gevent") is _stand_in:
            del sys.modules["gevent"]
        for name, value in _given.items():
            if value is None:
                del os.environ[name]
    """#

  /// Imports debugpy and pydevd before the patch, configured for green threads.
  static func preImport() throws(PythonError) {
    try run(preImportCode)
  }

  /// Starts the listener; with `wait`, returns once a client has attached and configured.
  /// Run as Python code: debugpy looks at its caller's frame (`sys._getframe`), and a call
  /// straight from the C API has none ("SystemError: frame does not exist").
  static func listen(_ address: NetworkAddress, wait: Bool, _ say: Narrator) throws(PythonError) {
    try run(
      "import debugpy\n"
        + "debugpy.listen((\(HandOff.pythonLiteral(address.numericHost)), \(address.port)))\n")
    say("debugpy", "listening on \(address)\(wait ? "; waiting for a client" : "")")
    if wait { try run("import debugpy\ndebugpy.wait_for_client()\n") }
  }

  private static func run(_ code: String) throws(PythonError) {
    let builtins = try PythonObject.importModule("builtins")
    let namespace = try builtins.attribute("dict").call()
    try namespace.setItem("__name__", to: try .string("greenlight.debugpy"))
    try builtins.attribute("exec").call(try .string(code), namespace)
  }
}
