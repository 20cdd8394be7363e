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
  /// Imports debugpy and pydevd before the patch, configured for green threads.
  static func preImport() throws(PythonError) {
    try glue().item("pre_import")?.call()
  }

  /// Starts the listener; with `wait`, returns once a client has attached and configured.
  /// Called through Python functions (`Python/debugpy.py`): debugpy looks at its caller's
  /// frame (`sys._getframe`), and a call straight from the C API has none ("SystemError:
  /// frame does not exist").
  static func listen(_ address: NetworkAddress, wait: Bool, _ say: Narrator) throws(PythonError) {
    let glue = try glue()
    let port = try PythonObject.importModule("builtins").attribute("int").call(
      try .string(String(address.port)))
    try glue.item("listen")?.call(try .string(address.numericHost), port)
    say("debugpy", "listening on \(address)\(wait ? "; waiting for a client" : "")")
    if wait { try glue.item("wait_for_client")?.call() }
  }

  private static func glue() throws(PythonError) -> PythonObject {
    try PythonGlue.debugpy.load(name: "greenlight.debugpy")
  }
}
