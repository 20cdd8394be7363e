import PythonRuntime

/// Rules about what is loaded and what ran: C database drivers (GL301), psycopg2 without a
/// wait callback (GL302), C network clients that do not cooperate (GL303), tracers in a
/// green process (GL401), and eventlet in a process that is not patched (GL601).
struct LoadedModules {
  let inspector: Inspector
  private var view: ProcessView { inspector.view }

  /// C database drivers that hold the hub, and what to use instead.
  static let blockingDrivers: [(module: String, instead: String)] = [
    ("MySQLdb", "PyMySQL"), ("_mysql", "PyMySQL"), ("cx_Oracle", "oracledb in thin mode"),
    ("ibm_db", "eventlet.tpool"), ("pymssql", "eventlet.tpool"), ("pyodbc", "eventlet.tpool"),
  ]
  /// C-extension network clients known not to cooperate with eventlet's hub.
  static let blockingExtensions: [(module: String, what: String)] = [
    ("grpc", "gRPC's C core"), ("zmq", "pyzmq (use eventlet.green.zmq)"),
    ("confluent_kafka", "librdkafka"), ("pylibmc", "libmemcached"), ("rados", "librados"),
    ("cassandra.cluster", "the Cassandra driver's C event loop"),
  ]

  func judge() throws(PythonError) -> [Finding] {
    let loaded = Set(try view.moduleNames())
    let watched = Set(
      Self.blockingDrivers.map(\.module) + Self.blockingExtensions.map(\.module) + [
        "psycopg2", "eventlet",
      ])
    let imports = EventLog.firstImports(of: watched.intersection(loaded))
    var findings: [Finding] = []
    let green = inspector.context.mode != .none && !inspector.calls.isEmpty
    if green {
      let mysqlPatched = inspector.calls.contains { $0.effective["MySQLdb"] == true }
      for (module, instead) in Self.blockingDrivers where loaded.contains(module) {
        if mysqlPatched && (module == "MySQLdb" || module == "_mysql") { continue }
        findings.append(
          Finding(
            .blockingDatabaseDriver,
            message: "\(module) is a C database driver: every query blocks the hub; use"
              + " \(instead).",
            subject: module, location: location(of: module, imports)))
      }
      if loaded.contains("psycopg2"), try !hasWaitCallback() {
        findings.append(
          Finding(
            .psycopgNotGreen,
            message: "psycopg2 is loaded without a wait callback: every query blocks the hub.",
            subject: "psycopg2", location: location(of: "psycopg2", imports)))
      }
      for (module, what) in Self.blockingExtensions where loaded.contains(module) {
        if module == "zmq" && loaded.contains("eventlet.green.zmq") { continue }
        findings.append(
          Finding(
            .blockingExtension,
            message: "\(module) uses \(what), which does not cooperate with eventlet's hub.",
            subject: module, location: location(of: module, imports)))
      }
      findings += tracers()
    }
    // Native: patching off, or a service left to patch itself that has not (judged as
    // native, GL601 included).
    let native =
      inspector.context.mode == .none
      || (inspector.context.mode == .target && inspector.calls.isEmpty)
    if native {
      findings += eventletWithoutPatching(loaded, imports)
    }
    return findings
  }

  private func location(of module: String, _ imports: [String: ObservedEvent]) -> SourceLocation? {
    view.location(imports[module].flatMap { view.responsibleFrame($0.stack) })
  }

  private func hasWaitCallback() throws(PythonError) -> Bool {
    guard let extensions = view.module("psycopg2.extensions") else { return false }
    return try !extensions.attribute("get_wait_callback").call().isNone
  }

  // GL401: a tracer installed while threads are green (after the first patch); one
  // finding per function and line, however often that line installs it.
  private func tracers() -> [Finding] {
    guard let first = inspector.calls.first else { return [] }
    var order: [String] = []
    var calls: [String: (name: String, location: SourceLocation?, count: Int)] = [:]
    for event in EventLog.events(.tracer) where event.index > first.event.index {
      guard let frame = view.responsibleFrame(event.stack),
        view.origin(ofFile: frame.file) != .standardLibrary
      else { continue }
      let location = view.location(frame)
      let key = "\(event.name) \(location?.description ?? "")"
      if calls[key] == nil { order.append(key) }
      calls[key, default: (event.name, location, 0)].count += 1
    }
    return order.compactMap { calls[$0] }.map { call in
      let times = call.count > 1 ? " (\(call.count) calls from this line)" : ""
      return Finding(
        .tracerWithGreenThreads,
        message: "\(call.name) was called while threads are green\(times): the tracer sees"
          + " every green thread interleaved, and debuggers step into the hub.",
        subject: call.name, location: call.location)
    }
  }

  // GL601: eventlet's hub started or a green lock acquired with patching off (error), or
  // eventlet only imported (info).
  private func eventletWithoutPatching(
    _ loaded: Set<String>, _ imports: [String: ObservedEvent]
  ) -> [Finding] {
    guard loaded.contains("eventlet") else { return [] }
    // In target mode a service whose code patches later (swift patches in run_wsgi, after
    // what check imports and after hand-off) is not native by choice: that is said, as info.
    let findings: [Finding]
    if inspector.context.mode == .target, let later = inspector.context.source.patchSite {
      let site = SourceLocation(file: view.display(later.file), line: later.line)
      findings = [
        Finding(
          .eventletInNativeMode, severity: .info,
          message: "eventlet is imported and nothing has patched yet; the service's code"
            + " patches later, at \(site.description), so its green primitives must not run"
            + " before that line.",
          subject: "eventlet", location: location(of: "eventlet", imports),
          fix: "Nothing, if that line runs before any green thread starts.")
      ]
    } else if let use = firstGreenUse() {
      findings = [greenUse(use)]
    } else if let hub = view.module("eventlet.hubs")?.attributeIfPresent("_threadlocal")?
      .attributeIfPresent("hub")
    {
      // A hub on this thread that the watch did not see made: said at eventlet's import.
      findings = [
        Finding(
          .eventletInNativeMode,
          message: "An eventlet hub (\(hub.typeName)) was started although nothing"
            + " patched: green threads or green locks ran in a native process, where they"
            + " hang or lose mutual exclusion.",
          subject: "eventlet.hubs", location: location(of: "eventlet", imports))
      ]
    } else {
      // Native mode judges what runs, not what is imported: futurist imports eventlet
      // whenever it is installed and a native service never runs it. A green thread or a
      // green lock that waits needs a hub, and every green lock's acquire is watched: no
      // hub and no acquire means nothing green has run.
      findings = [
        Finding(
          .eventletInNativeMode, severity: .info,
          message: "eventlet is imported although nothing patched the process; no hub has"
            + " started and no green lock was acquired, so nothing green has run.",
          subject: "eventlet", location: location(of: "eventlet", imports),
          fix: "Nothing, while no green thread, green lock or hub runs;"
            + " --forbid-eventlet proves the service runs without it.")
      ]
    }
    return findings
  }

  /// The first green use the native watch recorded (`NativeHub`), on any thread. GreenPool's
  /// spawn takes the pool's own semaphore just before it spawns: that lock is the pool's
  /// bookkeeping, and the hub its green thread starts is what the service used.
  private func firstGreenUse() -> NativeGreenUse? {
    let hub = NativeHub.hubStart
    let lock = NativeHub.lockAcquire.flatMap { lock in
      hub != nil && lock.stack.first.map(isPoolBookkeeping) == true ? nil : lock
    }
    return [hub, lock].compactMap { $0 }.min { $0.order < $1.order }
  }

  private func isPoolBookkeeping(_ frame: StackFrame) -> Bool {
    view.origin(ofFile: frame.file) == .eventlet && frame.file.hasSuffix("/eventlet/greenpool.py")
  }

  /// GL601 at the call that ran the first green use: the hub it started, or the green lock
  /// it acquired, named with the function that did it.
  private func greenUse(_ use: NativeGreenUse) -> Finding {
    let start = view.responsibleFrame(use.stack)
    let location = view.location(start)
    if use == NativeHub.hubStart {
      let by = start.map { " by \($0.function)" } ?? ""
      return Finding(
        .eventletInNativeMode,
        message: "An eventlet hub (\(use.what)) was started\(by) although nothing patched:"
          + " green threads or green locks ran in a native process, where they hang or lose"
          + " mutual exclusion.",
        subject: "eventlet.hubs", location: location)
    }
    let inFunction = start.map { " in \($0.function)" } ?? ""
    return Finding(
      .eventletInNativeMode,
      message: "A green lock (\(use.what)) was acquired\(inFunction) although nothing"
        + " patched: in a native process it loses mutual exclusion between threads, and a"
        + " thread that waits for it hangs.",
      subject: use.what, location: location,
      fix: "Use threading.Lock (or threading.Semaphore) in native mode, or run with patching.")
  }
}
