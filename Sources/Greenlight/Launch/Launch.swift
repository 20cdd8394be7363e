import CPythonShims
import PythonRuntime

#if canImport(Glibc)
  import Glibc
#endif

/// Everything a launch needs, decided by the command line.
public struct LaunchRequest: Sendable {
  /// Why greenlight launches: to hand off (`run`), or to judge without handing off
  /// (`check`).
  public enum Purpose: Sendable, Equatable {
    /// `run`; with `strict`, error-level findings refuse the hand-off.
    case run(strict: Bool)
    /// `check`: every phase but the hand-off.
    case check
  }

  /// `--python`: a venv folder or an interpreter; nil for the default search.
  public var python: String?
  /// `--patch`, after `--no-patch` and `DISABLE_EVENTLET_PATCHING`.
  public var patchMode: PatchMode
  /// What runs at hand-off.
  public var target: LaunchTarget
  /// The service's arguments, as bytes, unchanged.
  public var serviceArguments: [[UInt8]]
  /// `--verbose`: say what each phase did on stderr.
  public var verbose: Bool
  public var purpose: Purpose
  /// The policy in force (`--policy`, or found from the working directory up).
  public var policy: Policy
  /// Where and how findings are reported.
  public var report: ReportOptions
  /// The run-time watch after hand-off (`run` and `debug` in `--patch first`).
  public var watch: WatchOptions = WatchOptions()
  /// `--forbid-eventlet`: every import of eventlet is refused (the mode is none).
  public var forbidEventlet = false
  /// `greenlight debug`: a debugger, a backdoor and a stack dump; nil for `run` and `check`.
  public var debug: DebugSettings?

  public init(
    python: String?, patchMode: PatchMode, target: LaunchTarget,
    serviceArguments: [[UInt8]], verbose: Bool, purpose: Purpose = .run(strict: false),
    policy: Policy = .none, report: ReportOptions = ReportOptions()
  ) {
    self.python = python
    self.patchMode = patchMode
    self.target = target
    self.serviceArguments = serviceArguments
    self.verbose = verbose
    self.purpose = purpose
    self.policy = policy
    self.report = report
  }
}

/// The launch, phase by phase: preflight, initialize, patch, green subprocess, verify,
/// import target (check), report, hand-off. `run` reads top to bottom in that order.
public enum Launch {
  /// Runs the launch and returns the exit status: the service's after hand-off, or
  /// `check`'s verdict. Throws where a phase failed before hand-off.
  public static func run(_ asked: LaunchRequest) throws(LaunchError) -> Int32 {
    var request = asked
    let say = Narrator(enabled: request.verbose)

    // preflight
    let installation = try Preflight.installation(request.python)
    say("python", "\(installation.executable) (Python \(installation.version))")
    let handOff = try Preflight.handOff(request, installation: installation)
    ProcessSignals.restoreDefaultFatalActions()
    if request.purpose == .check, request.report.format != .text, request.report.file == nil {
      StandardOutput.reserveForReport()
    }

    // initialize
    let interpreter: Interpreter
    // The audit hook is read by check, and by run only in --patch target (until the
    // service's own patch). Elsewhere nothing reads it, and a hook costs every audit event
    // (monkey_patch alone raises about 100k): run --patch first and none go without.
    let observes =
      request.purpose == .check || request.patchMode == .target
      || request.patchMode == .auto
    switch try start(
      installation, arguments: handOff.arguments, target: handOff.target,
      observesEvents: observes)
    {
    case .started(let started): interpreter = started
    case .exited(let status): return status
    }
    let decision = decide(request, handOff: handOff)
    request.patchMode = decision.mode
    if asked.patchMode == .auto {
      say("mode", "auto → \(decision.mode.rawValue): \(decision.reason)")
    }
    if asked.patchMode == .auto, decision.mode == .first, request.purpose != .check {
      // run --patch first reads no events (see observes above): the hook goes, or each of
      // monkey_patch's audit events would pay for it.
      EventLog.record(.off)
      interpreter.stopObservingEvents()
    }
    var inspector: Inspector! = try watch(
      request, handOff: handOff, source: decision.source, interpreter, say)
    // A phase failed before hand-off: the inspector's Python objects go first (the watch
    // holds it too), while the interpreter exists, then the interpreter.
    func abandon() {
      EventLog.record(.off)
      PatchWatch.stop()
      inspector = nil
      interpreter.finalize()
    }

    // pre-imports (debug): the backdoor's socket, a debugger that must keep native threads
    if let debug = request.debug {
      do {
        try DebugSession.prepare(debug, say)
      } catch {
        abandon()
        throw error
      }
    }
    inspector.notePreImports()

    // patch, green subprocess, verify
    switch request.patchMode {
    case .first:
      do {
        try PatchFirst.run(installation, say)
      } catch {
        abandon()
        throw error
      }
    case .target, .auto:
      if asked.patchMode != .auto {
        say(
          "patch",
          "target: the service patches itself; greenlight completes its first monkey_patch call")
      }
    case .none:
      say("patch", "none: eventlet is not imported by greenlight")
    }
    if request.forbidEventlet {
      do {
        try EventletBan.install()
      } catch {
        error.display()
        abandon()
        throw LaunchError(
          .initialize, status: ExitStatus.software, "greenlight's eventlet ban failed: \(error)")
      }
      say("forbid", "every import of eventlet is refused")
    }

    if request.purpose == .check {
      return check(request, handOff: handOff, interpreter, inspector, say)
    }

    // report what is known before hand-off; `--strict` refuses on errors.
    var reported: [Finding] = []
    var process = inspector.processMode
    if request.patchMode != .target {
      let started = Clock.milliseconds()
      let findings = inspector.finish()
      reported = findings
      say("verify", String(format: started, "\(findings.count) findings before the policy"))
      process = inspector.processMode
      say("process", process.description)
      let status = Reporting(request).publish(findings, process: process)
      if status != 0 {
        abandon()
        return status
      }
      if request.patchMode == .none, !request.forbidEventlet, request.debug == nil {
        // Native mode judges what runs: a hub the service's code starts or a green lock it
        // acquires after hand-off is the GL601 error, said at exit (an eventlet only
        // imported was info above).
        // A report file is rewritten whole, with the earlier findings; stderr gets the new.
        judgeNativeGreenUseAtExit(
          inspector, reporting: Reporting(request),
          earlier: request.report.file == nil ? [] : findings)
      }
    } else if inspector.calls.isEmpty, inspector.context.source.patchSite == nil {
      // target, and nothing in the service's code patches: it is native by its own choice.
      // Its code runs after hand-off, so it is judged so when the process ends, unless
      // something it loaded patched meanwhile (judged then, as any service patch).
      say("process", inspector.processMode.description + " by the hand-off; judged at exit")
      let watching: Inspector = inspector
      let reporting = Reporting(request)
      NativeAtExit.register {
        guard watching.calls.isEmpty else { return }
        _ = reporting.publish(watching.finish(), process: watching.processMode)
      }
    } else {
      // The report waits for the service's own monkey_patch; until then nothing is patched.
      say("process", inspector.processMode.description + " by the hand-off")
    }

    // hand-off. Nothing reads the event log or the watch after it (in target mode, after
    // the service's own patch has been judged), so both stop; the debug mode hands the
    // watch to its own judge of the service's monkey_patch calls.
    if request.patchMode != .target, request.debug == nil {
      EventLog.record(.off)
      // Under none the watch stays: a service that patches anyway is told so when it does.
      if request.patchMode != .none { PatchWatch.stop() }
    }
    // The inspector holds Python objects: they go now, while the GIL is held, not after
    // Py_RunMain has finalised the interpreter (in target mode the watch keeps it until the
    // service's own patch has been judged).
    inspector = nil
    // In run --patch first nothing reads the event log again; elsewhere the exit's
    // judgement (none, target) or the debugger's (debug) may.
    releaseLaunchMemory(eventLog: request.patchMode == .first && request.debug == nil)
    if let debug = request.debug {
      do {
        try DebugSession.start(debug, request: request, reported: reported, say)
      } catch {
        interpreter.finalize()
        throw error
      }
    }
    if case .run = request.purpose, request.patchMode == .first || request.debug == nil,
      let watched = startRuntimeWatch(
        request.patchMode, request.watch, sink: watchSink(request), untilExit: true,
        interpreter: interpreter, service: handOff.service(request.policy))
    {
      say("watch", watched)
    }
    if request.patchMode == .first || request.forbidEventlet { ServiceRefusal.watchUncaught() }
    if request.forbidEventlet {
      // The refusals are judged at exit, once an uncaught one has reached sys.excepthook.
      let reporting = Reporting(request)
      let native = process
      let earlier = request.report.file == nil ? [] : reported
      let workingDirectory = FileSystem.currentDirectory() + "/"
      EventletBan.atExit { findings in
        // A report file is rewritten whole, with the findings of before hand-off.
        if !findings.isEmpty { _ = reporting.publish(earlier + findings, process: native) }
      } display: { path in
        path.hasPrefix(workingDirectory) ? String(path.dropFirst(workingDirectory.count)) : path
      }
    }
    do {
      try handOff.prepareMain()
    } catch {
      error.display()
      interpreter.finalize()
      throw LaunchError(
        .handOff, status: ExitStatus.software, "greenlight's entry point wrapper failed: \(error)")
    }
    say("hand-off", request.target.commandLine)
    return ServiceRefusal.status(after: interpreter.runMain())
  }

  /// Gives back what the launch allocated before the service runs alone: the event log,
  /// when nothing reads it again, and the C heap's free pages (the inspection's Swift and
  /// Python objects are gone by then). A service's private memory stays python's.
  private static func releaseLaunchMemory(eventLog: Bool) {
    if eventLog { EventLog.release() }
    gl_release_free_memory()
  }

  /// The patch mode for `request`, deciding `auto` from the target's own source: the entry
  /// module, its top-level package, or the file or code run.
  private static func decide(_ request: LaunchRequest, handOff: HandOff) -> PatchDecision {
    let workingDirectory = FileSystem.currentDirectory() + "/"
    let display = { (path: String) in
      path.hasPrefix(workingDirectory) ? String(path.dropFirst(workingDirectory.count)) : path
    }
    return PatchDecision.decide(
      request.patchMode,
      reading: {
        let packages = request.policy.servicePackages
        switch request.target {
        case .command(let code): return ServiceSource.read(code: code, named: "-c")
        case .file(let path):
          return PatchDecision.source(module: nil, file: path, packages: packages)
        case .module(let name): return PatchDecision.source(module: name, packages: packages)
        case .entry, .script:
          return PatchDecision.source(module: handOff.entry?.module, packages: packages)
        }
      }, display: display)
  }

  /// Where `run`'s run-time findings go: JSON lines in `--report-file`, or stderr. In
  /// `debug` the report file stays one report (a late GL402 rewrites it whole), so the
  /// watch's findings go to stderr.
  static func watchSink(_ request: LaunchRequest) -> WatchSink {
    guard request.debug == nil, let file = request.report.file else {
      return .standardError(color: request.report.color)
    }
    return .jsonLines(path: file)
  }

  /// Starts the inspector and the monkey_patch watch. In `--patch target` greenlight
  /// completes the service's own patch the moment its first monkey_patch returns (in `check`
  /// too, to judge what `run` would run), and `run` reports then.
  private static func watch(
    _ request: LaunchRequest, handOff: HandOff, source: ServiceSource, _ interpreter: Interpreter,
    _ say: Narrator
  ) throws(LaunchError) -> Inspector {
    let policy = request.policy
    var context = Inspector.Context(
      mode: request.patchMode, targetPackage: handOff.targetPackage,
      isAllowedPreImport: { policy.isAllowedPreImport($0) })
    context.source = source
    context.servicePackages = policy.servicePackages
    context.say = say
    if request.patchMode == .none, case .run = request.purpose {
      context.afterServicePatch = { inspector in
        // The one finding that says the service patched although none was asked.
        let status = Reporting(request).publish(
          inspector.finish(), process: inspector.processMode)
        PatchWatch.stop()
        return status
      }
    }
    if request.patchMode == .target, case .run = request.purpose {
      context.afterServicePatch = { inspector in
        let process = inspector.processMode
        Narrator(enabled: request.verbose)("process", process.description)
        let status = Reporting(request).publish(inspector.finish(), process: process)
        EventLog.record(.off)
        PatchWatch.stop()
        releaseLaunchMemory(eventLog: true)
        // Nothing reads audit events from here (the debug mode's judge of later patch calls
        // does): the hook goes, and the service runs without one, as patched first.
        if request.debug == nil { gl_observe_uninstall() }
        // The service's hub is patched from here: the run-time watch starts.
        if status == 0 {
          RuntimeWatch.startUntilExit(
            request.watch, sink: watchSink(request), service: inspector.view.service)
        }
        return status
      }
    }
    return try inspect(context, interpreter)
  }

  /// check's import-target and report phases; no hand-off. An exception from the target's
  /// import is the service's: it is shown as python would show it, then the report of what
  /// was seen until then, which says where the import stopped. Python is left without
  /// finalising (`Interpreter.leave`).
  private static func check(
    _ request: LaunchRequest, handOff: HandOff, _ interpreter: Interpreter,
    _ inspector: Inspector, _ say: Narrator
  ) -> Int32 {
    var started = Clock.milliseconds()
    var failure: (report: ImportFailure, status: Int32)?
    let reportAtExit: ImportExit.Report = { status, file, line in
      let location = file.map { SourceLocation(file: inspector.view.display($0), line: line) }
      _ = Reporting(request).publish(
        inspector.finish(), process: inspector.processMode,
        importFailure: ImportExit.failure(status: status, location: location))
    }
    do {
      let visibility = try ImportExit.watching(reportAtExit) { () throws(PythonError) in
        try TargetImport.load(request.target, entry: handOff.entry)
      }
      switch visibility {
      case .imported(let module): say("import", String(format: started, module))
      case .notImported(let reason): StandardError.line("greenlight: note: \(reason).")
      }
    } catch {
      TargetImportFailure.show(error)
      EventletBan.noteUncaught(error.exception)
      failure = (
        TargetImportFailure.describe(error, view: inspector.view),
        TargetImportFailure.status(error)
      )
      if let sentence = ServiceRefusal.sentence(for: error.exception) {
        StandardError.line("greenlight: error: \(sentence)")
        failure?.status = ExitStatus.configuration
      }
    }
    started = Clock.milliseconds()
    let findings = inspector.finish() + EventletBan.findings(display: inspector.view.display)
    say("inspect", String(format: started, "\(findings.count) findings before the policy"))
    let process = inspector.processMode
    say("process", process.description)
    let status = Reporting(request).publish(
      findings, process: process, importFailure: failure?.report)
    interpreter.leave()
    return failure?.status ?? status
  }
}
