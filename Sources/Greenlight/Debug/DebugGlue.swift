import PythonRuntime

/// The Python side of `greenlight debug` (`Python/debug.py`), compiled once into its own
/// namespace: the stack dump and its signal handler, the backdoor's accept loop and console.
/// Python because each is a Python function or class that runs inside the service (a
/// signal handler, a green thread, a `code.InteractiveConsole`, a stand-in for
/// `sys.stdout`); the rules of where and how they listen are Swift (``BackdoorListener``).
enum DebugGlue {
  /// Compiles the glue after the patch (it imports eventlet and greenlet) and returns its
  /// namespace. Its file name is the one the dump leaves out of the stacks it shows.
  static func load() throws(PythonError) -> PythonObject {
    try PythonGlue.debug.load(name: "greenlight.debug")
  }
}
