import PythonRuntime

/// `check`'s import of the target raised: the exception is shown as python shows an uncaught
/// one, and becomes the report's ``ImportFailure``.
enum TargetImportFailure {
  /// `check`'s exit status for a failed import: 1, or 130 for `KeyboardInterrupt` (what a
  /// shell shows for python's death by SIGINT; check itself dies by no signal).
  static func status(_ error: PythonError) -> Int32 {
    error.isKeyboardInterrupt ? 130 : ExitStatus.findings
  }

  /// Shows `error` on `sys.stderr` as python would at the end of a script: nothing for
  /// `SystemExit` with an int or None, its code for any other `SystemExit`, and otherwise
  /// what `sys.excepthook` prints (the traceback, without the importlib frames of
  /// greenlight's own import call).
  static func show(_ error: PythonError) {
    guard error.isSystemExit else {
      trimImportMachinery(error.exception)
      error.printUncaught()
      return
    }
    guard let code = error.exception.attributeIfPresent("code"), !isInteger(code),
      let stderr = try? PythonObject.importModule("sys").attribute("stderr"),
      let text = try? PythonObject.string(code.description + "\n")
    else { return }
    _ = try? stderr.attribute("write").call(text)
    _ = try? stderr.attribute("flush").call()
    _ = PythonError.take()
  }

  /// What the report says of the failure; paths shown as `view` shows them.
  static func describe(_ error: PythonError, view: ProcessView) -> ImportFailure {
    let exception = error.exception
    var message = error.message
    if error.isSystemExit {
      message = exception.attributeIfPresent("code")?.description ?? ""
    }
    return ImportFailure(
      exception: error.typeName, message: message,
      location: origin(exception).map { SourceLocation(file: view.display($0.file), line: $0.line) }
    )
  }

  // MARK: the traceback

  /// Where the exception was raised: a `SyntaxError`'s own file and line, else the
  /// innermost traceback entry outside importlib.
  private static func origin(_ exception: PythonObject) -> (file: String, line: Int?)? {
    if isSyntaxError(exception), let file = exception.attributeIfPresent("filename")?.stringValue {
      return (file, exception.attributeIfPresent("lineno")?.integerValue)
    }
    // The eventlet ban's finder is machinery too: the import's site is the importer's line.
    return exception.tracebackEntries.last {
      !isImportMachinery($0) && $0.file != EventletBan.fileName
    }.flatMap { entry in
      entry.file.map { ($0, entry.line) }
    }
  }

  /// Drops the outermost run of importlib frames: those of the import greenlight started.
  /// Frames of imports the target made itself were trimmed by CPython as it trims them for
  /// python, and importlib frames the target called into stay, as python shows them.
  private static func trimImportMachinery(_ exception: PythonObject) {
    let all = exception.tracebackEntries
    guard let first = all.firstIndex(where: { !isImportMachinery($0) }) else {
      if !all.isEmpty { _ = try? exception.setAttribute("__traceback__", to: .none) }
      _ = PythonError.take()
      return
    }
    if first > 0 { _ = try? exception.setAttribute("__traceback__", to: all[first].object) }
    _ = PythonError.take()
  }

  private static func isImportMachinery(_ entry: TracebackEntry) -> Bool {
    entry.file?.hasPrefix("<frozen importlib.") ?? false
  }

  private static func isSyntaxError(_ exception: PythonObject) -> Bool {
    isInstance(exception, of: "SyntaxError")
  }

  private static func isInteger(_ value: PythonObject) -> Bool {
    isInstance(value, of: "int")
  }

  private static func isInstance(_ value: PythonObject, of builtin: String) -> Bool {
    guard let builtins = try? PythonObject.importModule("builtins"),
      let type = try? builtins.attribute(builtin),
      let result = try? builtins.attribute("isinstance").call(value, type)
    else {
      _ = PythonError.take()
      return false
    }
    return result.isTrue
  }
}
