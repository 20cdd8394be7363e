import PythonRuntime

#if canImport(Glibc)
  import Glibc
#endif

/// Under `greenlight test --compare`, every process of the suite can be asked for its
/// Python stacks when its mode's time runs out: CPython's `faulthandler`, registered for
/// ``signal``, writes every native thread's stack to `<folder>/<pid>.stacks`. faulthandler
/// writes from its C signal handler, so a process whose threads are all blocked in locks
/// still answers. The file's existence says the process can be asked.
public enum StackDumpSignal {
  /// The folder, from `greenlight test --compare` to each process.
  public static let folderVariable = "GREENLIGHT_STACKS_DIR"
  /// SIGPWR: no test runner nor Python library uses it.
  static let signal: Int32 = SIGPWR

  /// The file process `pid` dumps its stacks to.
  static func path(in folder: String, pid: pid_t) -> String {
    "\(folder)/\(pid).stacks"
  }

  /// Registers the dump in this process (GIL held); false when it could not be.
  @discardableResult
  static func register(in folder: String) -> Bool {
    let descriptor = open(path(in: folder, pid: getpid()), O_WRONLY | O_CREAT | O_APPEND, 0o600)
    guard descriptor >= 0 else { return false }
    do {
      let builtins = try PythonObject.importModule("builtins")
      let integer = try builtins.attribute("int")
      let register = try PythonObject.importModule("faulthandler").attribute("register")
      _ = try register.call(
        try integer.call(try .string("\(signal)")), try integer.call(try .string("\(descriptor)")),
        try builtins.attribute("True"), try builtins.attribute("False"))
      return true
    } catch {
      close(descriptor)
      unlink(path(in: folder, pid: getpid()))
      return false
    }
  }
}
