import CPythonShims
import FoundationEssentials
import PythonRuntime

#if canImport(Glibc)
  import Glibc
#endif

/// `--watch` and `--hub-stall-ms`: the run-time watch after hand-off.
public struct WatchOptions: Equatable, Sendable {
  /// On by default in `run`, `test` and `debug`.
  public var enabled: Bool
  /// How long the hub may make no progress before GL501.
  public var hubStallMilliseconds: Int

  public init(enabled: Bool = true, hubStallMilliseconds: Int = 200) {
    self.enabled = enabled
    self.hubStallMilliseconds = hubStallMilliseconds
  }
}

/// Where run-time findings go as they happen.
enum WatchSink: Sendable {
  /// Three lines each on stderr, as `check` shows findings.
  case standardError(color: Bool)
  /// One JSON object per line, appended to a file (`--report-file`).
  case jsonLines(path: String)
  /// Kept for the process's report only (`greenlight test` children).
  case collect
}

/// The run-time watch: hub stalls (GL501) with the blocker's stack, blocking process calls
/// (GL202), OS threads (GL502) and forks while other OS threads are alive (GL503) after
/// hand-off, reported as they happen and summed up at exit with a census of OS threads. A
/// process whose hub is not watched (`--patch none`) gets GL503 and the census only. The
/// detection is in C (`gl_runtime.c`, `gl_runtime_calls.c`) and needs no audit hook; this
/// turns its observations into findings. Observations arrive without the GIL: nothing here
/// calls Python.
enum RuntimeWatch {
  /// A stall report may be shown this many times a minute; the rest are counted.
  static let stallReportsPerMinute = 5
  /// At most this many findings are kept (and shown); the rest are only counted.
  static let keptFindings = 100

  private struct State {
    var sink: WatchSink
    var standardLibrary: String
    var workingDirectory: String
    var service: ServicePackages
    var findings: [Finding] = []
    /// Every occurrence of each rule, kept as a finding or not: what the summary counts.
    var occurrences: [String: Int] = [:]
    /// The GL202 and GL502 causes kept: one finding per rule and site.
    var sites: Set<String> = []
    var notKept = 0
    var longestStall: Double?
    var shownStalls: [Double] = []  // monotonic seconds of the stall reports shown
    var suppressed = 0
    var lastStallShown = false
    var census = ThreadCensus()

    /// Counts an occurrence; returns whether there is room to keep it as a finding.
    mutating func count(_ rule: String) -> Bool {
      occurrences[rule, default: 0] += 1
      guard findings.count < RuntimeWatch.keptFindings else {
        notKept += 1
        return false
      }
      return true
    }

    /// A forked child's state: the same output, none of the parent's findings.
    func forChild() -> State {
      State(
        sink: sink, standardLibrary: standardLibrary, workingDirectory: workingDirectory,
        service: service)
    }
  }

  private static let state = ForkSafeState<State?>(nil)

  /// Starts the watch on the calling thread's hub; the GIL must be held and eventlet
  /// patched. It needs no audit hook, so a service patched first runs with none, as under
  /// python. `service` is whose frames a finding points at first. Returns false (with a
  /// note on stderr) when the hub cannot be watched.
  @discardableResult
  static func start(_ options: WatchOptions, sink: WatchSink, service: ServicePackages) -> Bool {
    guard options.enabled else { return false }
    prepare(sink: sink, service: service)
    let started = gl_runtime_start(Double(options.hubStallMilliseconds)) { event in
      RuntimeWatch.receive(event!.pointee)
    }
    guard started == 0 else {
      let error = PythonError.take()
      StandardError.line(
        "greenlight: note: the run-time watch did not start: \(error.map { "\($0)" } ?? "unknown error")."
      )
      state.withLock { $0 = nil }
      return false
    }
    return true
  }

  /// Starts only the watch's view of OS threads (GL503, the census) in a process whose hub
  /// is not watched (`--patch none`); the GIL must be held. `interpreter` installs the
  /// audit hook when the launch had none (nil when it has one): not for this watch, but for
  /// the native hub watch (``NativeHub``), which sees eventlet's modules arrive by their
  /// import events. `untilExit` stops it at exit with a summary (`run`, the front end on
  /// its own); otherwise ``stop(summarize:)`` is the caller's (a `greenlight test`
  /// process's report).
  @discardableResult
  static func startThreads(
    _ options: WatchOptions, sink: WatchSink, untilExit: Bool, interpreter: Interpreter?,
    service: ServicePackages
  ) -> Bool {
    guard options.enabled else { return false }
    if gl_observe_installed() == 0 { interpreter?.observeEventsFromNow() }
    prepare(sink: sink, service: service)
    _ = gl_runtime_start_threads { event in RuntimeWatch.receive(event!.pointee) }
    if untilExit { _ = gl_atexit_register { _ = RuntimeWatch.stop(summarize: true) } }
    _ = PythonError.take()
    return true
  }

  /// The state for a new watch.
  private static func prepare(sink: WatchSink, service: ServicePackages) {
    let base =
      (try? PythonObject.importModule("sys").attribute("base_prefix"))?.stringValue ?? "/usr"
    state.withLock {
      $0 = State(
        sink: sink, standardLibrary: "\(base)/lib/python\(PythonVersion.linked)",
        workingDirectory: FileSystem.currentDirectory(), service: service)
    }
  }

  /// Starts the watch and stops it at exit with a summary (`run`, the front end on its own).
  @discardableResult
  static func startUntilExit(
    _ options: WatchOptions, sink: WatchSink, service: ServicePackages
  ) -> Bool {
    guard start(options, sink: sink, service: service) else {
      return false
    }
    _ = gl_atexit_register { _ = RuntimeWatch.stop(summarize: true) }
    _ = PythonError.take()
    return true
  }

  /// Stops the watch (GIL held) and returns what it found; prints the end-of-run summary
  /// when `summarize` and anything was found.
  static func stop(summarize: Bool) -> [Finding] {
    gl_runtime_stop()
    guard let final = state.withLock({ $0.take() }) else { return [] }
    // eventlet's tpool workers alone make no summary: a service that uses tpool stays quiet.
    let census = final.census.unexpected > 0 ? final.census : nil
    let peak = Int(gl_runtime_thread_peak())
    // On stderr the summary comes only with findings: a clean service's stderr stays what
    // python's would be (the census alone goes to a report file).
    let findings = !final.occurrences.isEmpty
    if summarize, findings || census != nil {
      switch final.sink {
      case .standardError: if findings { StandardError.line(summary(final, peak: peak)) }
      case .jsonLines(let path):
        append(
          RunSummary(summary: final.occurrences, threads: census?.report(peak: peak)), to: path)
      case .collect: break
      }
    }
    return final.findings
  }

  // MARK: observations

  private static func receive(_ event: gl_runtime_event) {
    let stack = frames(event)
    switch event.kind {
    case GL_RUNTIME_FORKED:
      state.withLock { $0 = $0?.forChild() }
    case GL_RUNTIME_STALL_END:
      ended(after: event.milliseconds)
    case GL_RUNTIME_STALL_BEGIN:
      stalled(stack, milliseconds: event.milliseconds, holdsGIL: event.holds_gil != 0)
    case GL_RUNTIME_PROCESS_CALL:
      let what = event.what.map { String(cString: $0) } ?? "a process call"
      record(processCall(what, stack))
    case GL_RUNTIME_FORK:
      let census = state.withLock { $0?.census } ?? ThreadCensus()
      record(
        forkWithThreads(
          stack, alive: Int(event.threads_alive), threads: liveThreads(event), census: census))
    default:
      let site = startSite(stack)
      let expected = event.expected != 0
      state.withLock { $0?.census.started(UInt(event.thread), at: site, expected: expected) }
      if !expected, event.hub_watched != 0 { record(threadStarted(stack)) }
    }
  }

  private static func stalled(_ stack: [StackFrame], milliseconds: Double, holdsGIL: Bool) {
    let blocker = stack.first
    let name = blocker?.function ?? "unknown code"
    let how =
      holdsGIL
      ? "runs Python code without yielding to the hub"
      : "waits in a call that does not yield (in C, with the GIL released)"
    let callers = stack.dropFirst().prefix(3).map {
      "\($0.function) (\(display($0.file)):\($0.line))"
    }
    var message =
      "the eventlet hub made no progress for \(Int(milliseconds)) ms: \(name) \(how)"
    if !callers.isEmpty { message += "; called from " + callers.joined(separator: " < ") }
    // Under greenlight test a stall of the harness's own (mock set-up, fixture clean-up, the
    // runner's gc.collect), with no frame of the code under test, is not that code's hazard.
    let harness =
      sink.map { if case .collect = $0 { true } else { false } } == true
      && isHarnessOnly(stack)
    if harness { message += "; every frame is the test harness's or the standard library's" }
    let finding = Finding(
      .hubBlocked, severity: harness ? .info : nil, message: message + ".", subject: name,
      location: blocker.map { SourceLocation(file: display($0.file), line: $0.line) })
    let now = Clock.milliseconds() / 1000
    let shown = state.withLock { state -> Bool in
      guard state != nil else { return false }
      guard state!.count(finding.rule) else {
        state!.lastStallShown = false
        return false
      }
      state!.findings.append(finding)
      state!.shownStalls.removeAll { now - $0 > 60 }
      let show = state!.shownStalls.count < stallReportsPerMinute
      if show { state!.shownStalls.append(now) } else { state!.suppressed += 1 }
      state!.lastStallShown = show
      return show
    }
    if shown { emit(finding) }
  }

  private static func ended(after milliseconds: Double) {
    let shown = state.withLock { state -> Bool in
      guard state != nil else { return false }
      state!.longestStall = max(state!.longestStall ?? 0, milliseconds)
      return state!.lastStallShown
    }
    guard shown else { return }
    switch sink {
    case .standardError:
      StandardError.line(
        "greenlight: GL501 hub-blocked: the hub ran again after \(Int(milliseconds)) ms.")
    case .jsonLines(let path):
      append(StallEnd(rule: Rule.hubBlocked.id, milliseconds: Int(milliseconds)), to: path)
    case .collect, nil: break
    }
  }

  private static func processCall(_ what: String, _ stack: [StackFrame]) -> Finding {
    let caller = responsible(stack)
    let message =
      what == "os.system"
      ? "os.system was called from a green thread: the whole process waits for the command."
      : "a native subprocess.Popen was started from a green thread: its pipes and wait block"
        + " the hub."
    return Finding(
      .blockingProcessCall, message: message, subject: what,
      location: caller.map { SourceLocation(file: display($0.file), line: $0.line) })
  }

  private static func threadStarted(_ stack: [StackFrame]) -> Finding {
    let site = responsible(stack)
    // A thread started by a module's top-level code, imported from the service's line: the
    // chain of imports says which library started it.
    let chain = site.flatMap { ImportChain(stack, ending: nil, from: $0) }
    var by = site.map { ", by \($0.function)" } ?? ""
    var subject = site?.function ?? "thread"
    if let chain, chain.isIndirect, chain.isImportsOnly, let starter = chain.frames.last {
      by = ", by the import " + chain.description(short)
      // The module whose import started it, for a policy's `ignore`: numpy._core.multiarray.
      subject = ImportChain.moduleName(short(starter.file))
    }
    return Finding(
      .nativeThreadStarted,
      message: "an OS thread was started after hand-off, outside eventlet's tpool\(by).",
      subject: subject,
      location: site.map { SourceLocation(file: display($0.file), line: $0.line) })
  }

  /// Keeps and shows a GL202 or GL502 once per rule and site; later occurrences are only
  /// counted (500 threads started from one line are one cause).
  private static func record(_ finding: Finding) {
    let site = finding.rule + " " + (finding.location?.description ?? finding.subject)
    let kept = state.withLock { state -> Bool in
      guard state != nil else { return false }
      if state!.sites.contains(site) {
        state!.occurrences[finding.rule, default: 0] += 1
        return false
      }
      guard state!.count(finding.rule) else { return false }
      state!.sites.insert(site)
      state!.findings.append(finding)
      return true
    }
    if kept { emit(finding) }
  }

  // MARK: output

  private static var sink: WatchSink? { state.withLock { $0?.sink } }

  private static func emit(_ finding: Finding) {
    switch sink {
    case .standardError(let color):
      StandardError.line(
        "greenlight: " + TextRenderer.describe(finding, style: ANSIStyle(enabled: color)))
    case .jsonLines(let path): append(finding, to: path)
    case .collect, nil: break
    }
  }

  private static func summary(_ final: State, peak: Int) -> String {
    var parts: [String] = []
    for (rule, count) in final.occurrences.sorted(by: { $0.key < $1.key }) {
      var part = "\(rule) ×\(count)"
      if rule == Rule.hubBlocked.id, let longest = final.longestStall {
        part += " (longest \(Int(longest)) ms)"
      }
      parts.append(part)
    }
    var line =
      "greenlight: run-time findings: " + (parts.isEmpty ? "none" : parts.joined(separator: ", "))
    if final.suppressed > 0 { line += "; \(final.suppressed) stall reports not shown" }
    if final.notKept > 0 { line += "; \(final.notKept) more not kept" }
    if final.census.unexpected > 0 { line += "; " + final.census.description(peak: peak) }
    return line + "."
  }

  private static func append(_ value: some Encodable, to path: String) {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    guard let data = try? encoder.encode(value) else { return }
    let descriptor = open(path, O_WRONLY | O_APPEND | O_CREAT, 0o644)
    guard descriptor >= 0 else { return }
    defer { close(descriptor) }
    var bytes = Array(data) + [UInt8(ascii: "\n")]
    _ = bytes.withUnsafeMutableBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
  }

  // MARK: stacks

  private static func frames(_ event: gl_runtime_event) -> [StackFrame] {
    var event = event
    let count = Int(event.frame_count)
    return withUnsafeBytes(of: &event.files) { files in
      withUnsafeBytes(of: &event.functions) { functions in
        withUnsafeBytes(of: &event.lines) { lines in
          (0..<count).map { index in
            StackFrame(
              file: String(
                cString: files.load(fromByteOffset: index * 8, as: UnsafePointer<CChar>.self)),
              line: Int(lines.load(fromByteOffset: index * 4, as: Int32.self)),
              function: String(
                cString: functions.load(fromByteOffset: index * 8, as: UnsafePointer<CChar>.self)))
          }
        }
      }
    }
  }

  /// The installed packages of test runners and their helpers: a stall with frames only
  /// from these and the standard library is the harness's.
  static let harnessPackages: Set<String> = [
    "_pytest", "pytest", "pluggy", "xdist", "execnet", "stestr", "subunit", "testtools",
    "fixtures", "testscenarios", "testresources", "mock", "oslotest", "iniconfig",
  ]

  /// Whether every frame of `stack` is the standard library's or a test harness's (no
  /// frame of the code under test, nor of another library).
  private static func isHarnessOnly(_ stack: [StackFrame]) -> Bool {
    return !stack.isEmpty
      && stack.allSatisfy { frame in
        switch origin(frame) {
        case .standardLibrary: return true
        case .library:
          return harnessPackages.contains(CodeOrigin.installedPackage(frame.file) ?? "")
        case .eventlet, .service: return false
        }
      }
  }

  /// The frame to blame: the service's own (its installed packages included), else a
  /// library's, else the innermost.
  static func responsible(_ stack: [StackFrame]) -> StackFrame? {
    stack.first { origin($0) == .service } ?? stack.first { origin($0) == .library }
      ?? stack.first
  }

  /// Whose code a frame is, by the standard library's folder and the service's packages.
  private static func origin(_ frame: StackFrame) -> CodeOrigin {
    let (library, service) =
      state.withLock { ($0?.standardLibrary, $0?.service) }
    return CodeOrigin(
      path: frame.file, standardLibrary: library ?? "/usr/lib/python3.11",
      service: service ?? .none)
  }

  /// A path as an import chain shows it.
  private static func short(_ path: String) -> String {
    let library = state.withLock { $0?.standardLibrary } ?? "/usr/lib/python3.11"
    return ImportChain.short(path, standardLibrary: library, display: display)
  }

  static func display(_ path: String) -> String {
    let folder = state.withLock { $0?.workingDirectory } ?? "/"
    let prefix = folder.hasSuffix("/") ? folder : folder + "/"
    return path.hasPrefix(prefix) ? String(path.dropFirst(prefix.count)) : path
  }
}

/// The end of a stall, in the JSON-lines file.
private struct StallEnd: Encodable {
  let event = "stall-end"
  let rule: String
  let milliseconds: Int
}

/// The last line of the JSON-lines file: how many findings of each rule, and the census of
/// OS threads when the service started any.
private struct RunSummary: Encodable {
  let summary: [String: Int]
  let threads: ThreadCensus.Report?
}

/// A value behind the watch's C lock, which every fork takes and releases (so a forked child
/// never finds it held by the parent's watchdog, a thread the child does not have). Its
/// bodies must not fork or run Python.
private final class ForkSafeState<Value>: @unchecked Sendable {
  private var value: Value

  init(_ value: Value) { self.value = value }

  func withLock<Result>(_ body: (inout Value) throws -> Result) rethrows -> Result {
    gl_watch_state_lock()
    defer { gl_watch_state_unlock() }
    return try body(&value)
  }
}
