import PythonRuntime

/// Part of the green-subprocess phase: reads and writes on character devices that are not
/// terminals (`/dev/null`, `/dev/zero`, `/dev/urandom`) go straight to the system call.
///
/// eventlet's green `os.read` and `os.write` wait on the hub for every descriptor that is
/// not a regular file, and epoll refuses to watch such devices (EPERM): a process whose
/// stdout is `/dev/null` dies on its first write through a GreenPipe. execnet's workers are
/// such processes, so pytest-xdist cannot run under eventlet. These devices never block, so
/// nothing is lost by not waiting; terminals, pipes and sockets still wait on the hub.
enum GreenDevices {
  /// What `--verbose` says once the fix is in.
  static let done = "os.read and os.write skip the hub for /dev/null and other devices"

  /// Replaces `os.read` and `os.write` (eventlet's green ones) with the wrappers, in `os`
  /// and in `eventlet.green.os`. Returns whether it did: not when `os` is not patched.
  @discardableResult
  static func install() throws(PythonError) -> Bool {
    let os = try PythonObject.importModule("os")
    let green = try PythonObject.importModule("eventlet.green.os")
    let greenRead = try green.attribute("read")
    let greenWrite = try green.attribute("write")
    guard try os.attribute("write").isIdentical(to: greenWrite),
      try os.attribute("read").isIdentical(to: greenRead)
    else { return false }

    // The wrappers (`Python/devices.py`), compiled in their own namespace: Python because
    // they replace Python functions that the service's code calls through `os`. They find
    // what they call in their globals, bound here.
    let namespace = try PythonGlue.devices.load(name: "eventlet.green.os")
    let bindings: [(String, PythonObject)] = [
      ("_is_device", try PythonObject.importModule("stat").attribute("S_ISCHR")),
      ("_fstat", try os.attribute("fstat")),
      ("_isatty", try os.attribute("isatty")),
      ("_native_read", try green.attribute("__original_read__")),
      ("_native_write", try green.attribute("__original_write__")),
      ("_green_read", greenRead),
      ("_green_write", greenWrite),
    ]
    for (name, value) in bindings { try namespace.setItem(name, to: value) }
    for name in ["read", "write"] {
      guard let wrapper = namespace.item(name) else { continue }
      try wrapper.setAttribute("__doc__", to: try green.attribute(name).attribute("__doc__"))
      try os.setAttribute(name, to: wrapper)
      try green.setAttribute(name, to: wrapper)
    }
    return true
  }
}
