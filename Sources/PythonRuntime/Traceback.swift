/// One entry of an exception's traceback: the code's file and function, and the line.
public struct TracebackEntry {
  /// The `traceback` object itself (for relinking `__traceback__`).
  public let object: PythonObject
  public let file: String?
  public let function: String?
  public let line: Int?
}

extension PythonObject {
  /// The entries of this exception's `__traceback__`, outermost first (at most 10,000).
  /// Reads only the built-in traceback, frame and code objects.
  public var tracebackEntries: [TracebackEntry] {
    var entries: [TracebackEntry] = []
    var next = attributeIfPresent("__traceback__")
    while let entry = next, entries.count < 10_000 {
      let code = entry.attributeIfPresent("tb_frame")?.attributeIfPresent("f_code")
      entries.append(
        TracebackEntry(
          object: entry, file: code?.attributeIfPresent("co_filename")?.stringValue,
          function: code?.attributeIfPresent("co_name")?.stringValue,
          line: entry.attributeIfPresent("tb_lineno")?.integerValue))
      next = entry.attributeIfPresent("tb_next")
    }
    _ = PythonError.take()
    return entries
  }
}
