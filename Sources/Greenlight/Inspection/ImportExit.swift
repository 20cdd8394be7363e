import CPythonShims
import PythonRuntime
import Synchronization

/// `check`'s watch on `os._exit` while it imports the target: a target that ends the process
/// there still gets the report of what was seen until then, and check exits 1. A forked
/// child's `os._exit` is left alone.
enum ImportExit {
  /// Writes the report for an `os._exit(status)` called at `file`:`line`.
  typealias Report = @Sendable (_ status: Int32, _ file: String?, _ line: Int) -> Void

  private static let report = Mutex<Report?>(nil)

  /// Runs `body` (the import) with `os._exit` watched, and puts the original back after it.
  static func watching<Value>(
    _ report: @escaping Report, _ body: () throws(PythonError) -> Value
  ) throws(PythonError) -> Value {
    Self.report.withLock { $0 = report }
    if gl_os_exit_intercept({ status, file, line in
      ImportExit.exited(status, file.map { String(cString: $0) }, Int(line))
    }) != 0 {
      _ = PythonError.take()  // the import goes on unwatched, as python would run it
    }
    defer {
      gl_os_exit_restore()
      Self.report.withLock { $0 = nil }
    }
    return try body()
  }

  /// The failure the report names for `os._exit(status)`.
  static func failure(status: Int32, location: SourceLocation?) -> ImportFailure {
    ImportFailure(
      exception: "os._exit",
      message: "the process ended with status \(status) during the import", location: location)
  }

  private static func exited(_ status: Int32, _ file: String?, _ line: Int) -> Int32 {
    guard let report = report.withLock({ $0 }) else { return status }
    report(status, file, line)
    return ExitStatus.findings
  }
}
