import PythonRuntime

/// What a launch watches once it has handed off, shared by `run` and the python front end
/// (so by every process of `greenlight test`): the run-time watch of the mode the process
/// runs in, and, in a process nothing patched, the judgement at exit of a hub its code
/// started.
extension Launch {
  /// Starts the run-time watch for a process that runs in `mode` from hand-off: the hub's
  /// (GL501, GL202, GL502, GL503 and the census) when patched first, the OS threads' only
  /// (GL503 and the census) when nothing patches; none in `target` and `auto`, where it
  /// starts at the service's own patch. `untilExit` stops it at exit with a summary;
  /// otherwise the caller stops it and keeps what it found (a `greenlight test` process's
  /// report). Returns what it watches, for `--verbose`, or nil when nothing.
  static func startRuntimeWatch(
    _ mode: PatchMode, _ options: WatchOptions, sink: WatchSink, untilExit: Bool,
    interpreter: Interpreter?, service: ServicePackages
  ) -> String? {
    switch mode {
    case .first:
      let started =
        untilExit
        ? RuntimeWatch.startUntilExit(options, sink: sink, service: service)
        : RuntimeWatch.start(options, sink: sink, service: service)
      return started
        ? "hub stalls over \(options.hubStallMilliseconds) ms, GL202, GL502, GL503" : nil
    case .none:
      // No hub to watch: forks while OS threads are alive (GL503) and the thread census.
      let started = RuntimeWatch.startThreads(
        options, sink: sink, untilExit: untilExit, interpreter: interpreter, service: service)
      return started ? "GL503 and the OS thread census (no hub)" : nil
    case .target, .auto:
      return nil
    }
  }

  /// Native mode judges what runs: a hub that the service's code starts, or a green lock it
  /// acquires, after hand-off in a process nothing patched is the GL601 error, at the call
  /// that did it (``NativeHub``), published at exit with `reporting` after `earlier` (what
  /// a report file held, rewritten whole; an eventlet only imported was info there, and
  /// the error replaces it). Nothing is said when nothing green ran, or when the service
  /// patched meanwhile (its patch was judged then).
  static func judgeNativeGreenUseAtExit(
    _ inspector: Inspector, reporting: Reporting, earlier: [Finding]
  ) {
    let kept = earlier.filter {
      $0.rule != Rule.eventletInNativeMode.id || $0.subject != "eventlet"
    }
    NativeAtExit.register {
      guard inspector.calls.isEmpty else { return }
      let loaded = (try? LoadedModules(inspector: inspector).judge()) ?? []
      let ran = loaded.filter { $0.rule == Rule.eventletInNativeMode.id && $0.severity == .error }
      if !ran.isEmpty { _ = reporting.publish(kept + ran, process: inspector.processMode) }
    }
  }
}
