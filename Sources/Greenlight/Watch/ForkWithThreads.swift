import CPythonShims
import PythonRuntime

/// GL503: the service forked while other OS threads were alive. The child has only the
/// forking thread; whatever lock another thread held at that instant stays held there.
extension RuntimeWatch {
  /// An OS thread alive at the fork, as the C layer saw it.
  struct LiveThread: Equatable, Sendable {
    /// threading's ident (pthread_t), 0 for a thread that never ran Python.
    let ident: UInt
    /// threading's name, else empty.
    let name: String
    /// The kernel's name (`/proc/self/task/N/comm`).
    let kernelName: String
    /// The module whose import lock it held (importlib's `_ModuleLock`), else empty.
    var importing: String = ""
  }

  /// The threads of a GL_RUNTIME_FORK event.
  static func liveThreads(_ event: gl_runtime_event) -> [LiveThread] {
    var event = event
    let count = Int(event.thread_count)
    return withUnsafeBytes(of: &event.threads) { raw in
      (0..<count).map { index in
        let thread = raw.load(
          fromByteOffset: index * MemoryLayout<gl_runtime_thread>.stride,
          as: gl_runtime_thread.self)
        return LiveThread(
          ident: UInt(thread.ident), name: text(thread.name), kernelName: text(thread.comm),
          importing: text(thread.importing))
      }
    }
  }

  /// A fixed C buffer as a string.
  private static func text<Buffer>(_ buffer: Buffer) -> String {
    var buffer = buffer
    return withUnsafeBytes(of: &buffer) { raw in
      String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
    }
  }

  /// The finding: the fork's site (the service's frame first) and each other thread with
  /// its name and, when the watch saw it start, its start site. A warning; an error when
  /// one of them held a lock greenlight can see (a module's import lock): the child's
  /// first import of that module waits for ever.
  static func forkWithThreads(
    _ stack: [StackFrame], alive: Int, threads: [LiveThread], census: ThreadCensus
  ) -> Finding {
    let site = responsible(stack)
    let described = threads.map { thread -> String in
      let name =
        thread.name.isEmpty
        ? "an unnamed native thread (\(thread.kernelName))" : "\"\(thread.name)\""
      if thread.ident == 0 { return name + ", not started from Python" }
      let holding =
        thread.importing.isEmpty ? "" : ", holding the import lock of \(thread.importing)"
      if let start = census.site(of: thread.ident) {
        return name + " started at " + start + holding
      }
      return name + " started before the watch" + holding
    }
    let held = threads.map(\.importing).filter { !$0.isEmpty }
    var list = described.joined(separator: "; ")
    if alive > threads.count { list += "; and \(alive - threads.count) more" }
    let others = alive == 1 ? "1 other OS thread was" : "\(alive) other OS threads were"
    let by = site.map { " by \($0.function)" } ?? ""
    let consequence =
      held.isEmpty
      ? "a lock one of them held stays held in the child"
      : "it inherits the import lock of \(held.joined(separator: ", ")) held by one of"
        + " them, so its first import of it waits for ever"
    return Finding(
      .forkWithThreads, severity: held.isEmpty ? nil : .error,
      message: "os.fork was called\(by) while \(others) alive: the child has none of them,"
        + " and \(consequence): \(list).",
      subject: "os.fork",
      location: site.map { SourceLocation(file: display($0.file), line: $0.line) })
  }

  /// A start site as the census counts it: the responsible frame's `file:line`.
  static func startSite(_ stack: [StackFrame]) -> String {
    guard let site = responsible(stack) else { return "native code" }
    return "\(display(site.file)):\(site.line)"
  }
}
