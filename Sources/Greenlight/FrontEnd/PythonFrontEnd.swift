import CPythonShims
import PythonRuntime
import Synchronization

#if canImport(Glibc)
  import Glibc
#endif

/// The python front end: `greenlight python ARGS...`, or greenlight started through a link
/// named `python`. CPython parses the command line itself, so every python option behaves
/// as the venv's python; the launch phases run between initialisation and `Py_RunMain`.
///
/// Under `greenlight test` (``FrontEndSettings/reportDirectory`` set) each process writes
/// its findings to its own file when it hands off, and again at exit with what the run
/// added; otherwise warnings and errors are printed before hand-off, as `run` does.
public enum PythonFrontEnd {
  /// Runs python's `arguments` (without `argv[0]`); `invokedAs` is the path of a link named
  /// python this process was started through, which becomes `sys.executable`.
  public static func run(
    _ arguments: [[UInt8]], invokedAs link: String?, environment: [String: String]
  ) throws(LaunchError) -> Int32 {
    let given = try FrontEndSettings(environment: environment)
    let commandLine = PythonCommandLine(arguments)

    // preflight
    let installation = try Preflight.installation(
      given.python, origin: FrontEndSettings.pythonVariable)
    // Children started by the service find the same Python without searching again.
    setenv(FrontEndSettings.pythonVariable, installation.executable, 0)
    let executable = link ?? FrontEndLink.privateLink(environment: environment)
    ProcessSignals.restoreDefaultFatalActions()
    let policy: Policy
    if given.reportDirectory == nil {
      do {
        policy = try PolicyLoader.load(
          explicit: nil, workingDirectory: FileSystem.currentDirectory())
      } catch {
        throw LaunchError(.preflight, status: ExitStatus.usage, error.description)
      }
    } else {
      policy = .none  // greenlight test applies the policy to the merged report
    }

    // initialize
    // The audit hook: in target mode from the start (the service's own patch is judged);
    // under greenlight test from the start without patching, and after greenlight's own
    // patch otherwise (what ran before it is eventlet's, and the hook would cost each of
    // monkey_patch's 100k audit events).
    let reports = given.reportDirectory != nil
    let asked = given.patchMode
    let observes =
      asked == .target || asked == .auto || (reports && given.patchMode == .none)
    let interpreter: Interpreter
    switch try Launch.start(
      installation, arguments: [Array(installation.executable.utf8)] + arguments,
      target: .commandLine, observesEvents: observes)
    {
    case .started(let started): interpreter = started
    case .exited(let status): return status
    }
    if let executable { pointSysExecutable(at: executable) }
    if let folder = environment[StackDumpSignal.folderVariable], !folder.isEmpty {
      StackDumpSignal.register(in: folder)
    }
    let decision = decide(asked, commandLine, arguments: arguments)
    var decided = given
    decided.patchMode = decision.mode
    let settings = decided
    if asked == .auto, decision.mode == .first {
      EventLog.record(.off)  // as if observed only from after greenlight's patch
      // On its own, nothing reads audit events again (as run's): the hook goes.
      if !reports { interpreter.stopObservingEvents() }
    }

    let reporting = Reporting(
      purpose: .run(strict: false), policy: policy,
      options: ReportOptions(
        color: ColorChoice.forStandardError(environment: environment)),
      mode: settings.patchMode, target: commandLine.label)
    var context = Inspector.Context(
      mode: settings.patchMode, targetPackage: commandLine.package,
      isAllowedPreImport: { policy.isAllowedPreImport($0) })
    context.servicePackages = policy.servicePackages + settings.servicePackages
    context.judgesOnlyLibrariesForPatchOnImport = true
    context.source = decision.source
    let service = context.service
    if settings.patchMode == .target, settings.reportDirectory == nil {
      context.afterServicePatch = { inspector in
        _ = reporting.publish(inspector.finish(), process: inspector.processMode)
        EventLog.record(.off)
        PatchWatch.stop()
        gl_observe_uninstall()  // nothing reads audit events from here
        RuntimeWatch.startUntilExit(
          settings.watch, sink: .standardError(color: reporting.options.color), service: service)
        return 0
      }
    }
    var inspector: Inspector? = try Launch.inspect(context, interpreter)

    // patch, green subprocess, verify
    if settings.patchMode == .first {
      do {
        try withSitePackages(installation) { () throws(LaunchError) in
          try PatchFirst.run(
            installation, Narrator(enabled: false),
            withoutPatching: "set \(FrontEndSettings.patchVariable)=none")
        }
      } catch {
        // The inspector's Python objects go while the interpreter exists (the watch holds
        // it too).
        PatchWatch.stop()
        inspector = nil
        interpreter.finalize()
        throw error
      }
      if reports {
        if asked == .auto { EventLog.record(.stacks) } else { interpreter.observeEventsFromNow() }
      }
    }

    if settings.forbidEventlet {
      do {
        try EventletBan.install()
      } catch {
        error.display()
        PatchWatch.stop()
        inspector = nil
        interpreter.finalize()
        throw LaunchError(
          .initialize, status: ExitStatus.software, "greenlight's eventlet ban failed: \(error)")
      }
    }

    // report, then hand off
    if let folder = settings.reportDirectory, let watching = inspector {
      let report = ProcessReport(
        inspector: watching, path: ProcessReports.path(in: folder), mode: settings.patchMode,
        target: commandLine.label)
      report.write()
      ProcessReport.current.withLock { $0 = report }
      _ = gl_atexit_register { ProcessReport.atExit() }
      _ = PythonError.take()
      if settings.patchMode == .first { ServiceRefusal.watchImports() }
    } else {
      if settings.patchMode != .target, let watching = inspector {
        _ = reporting.publish(watching.finish(), process: watching.processMode)
        EventLog.record(.off)
        if settings.patchMode == .none, !settings.forbidEventlet {
          // As run's: the monkey_patch watch stays until exit, so that a service that
          // patches after all is not judged native.
          Launch.judgeNativeGreenUseAtExit(watching, reporting: reporting, earlier: [])
        } else {
          PatchWatch.stop()
        }
      }
      if settings.forbidEventlet {
        ServiceRefusal.watchUncaught()
        let display = Self.display(in: FileSystem.currentDirectory())
        EventletBan.atExit({ _ = reporting.publish($0, process: .native) }, display: display)
      }
    }
    inspector = nil
    // As run's: under greenlight test the process's report stops it and keeps its findings.
    _ = Launch.startRuntimeWatch(
      settings.patchMode, settings.watch,
      sink: reports ? .collect : .standardError(color: reporting.options.color),
      untilExit: !reports, interpreter: interpreter, service: service)
    return interpreter.runMain()
  }

  /// The mode for `asked`, deciding `auto` from the project in the working directory (its
  /// packages and modules, tests included: a suite's own patch runs) and the target, when
  /// the target is a file or a module that is not installed.
  private static func decide(
    _ asked: PatchMode, _ commandLine: PythonCommandLine, arguments: [[UInt8]]
  ) -> PatchDecision {
    let view = display(in: FileSystem.currentDirectory())
    let workingDirectory = FileSystem.currentDirectory()
    return PatchDecision.decide(
      asked,
      reading: {
        // The project, then what the runner is pointed at: stestr's test_path, and the
        // paths on the command line (a test file, subunit.run's discovery folder).
        var roots = PatchDecision.projectRoots(in: workingDirectory)
        roots += PatchDecision.stestrTestPath(in: workingDirectory)
        roots += arguments.map { String(decoding: $0, as: UTF8.self) }.filter {
          !$0.hasPrefix("-") && FileSystem.exists($0)
        }
        if case .file(let path) = commandLine { roots.insert(path, at: 0) }
        // A child's -c code is read first; the project still decides with it.
        var code: (String, String)?
        if case .command(let text) = commandLine { code = (text, "-c") }
        return ServiceSource.read(roots, includingTests: true, after: code)
      }, display: view)
  }

  /// A path as a person reads it: relative to `workingDirectory` when inside it.
  private static func display(in workingDirectory: String) -> @Sendable (String) -> String {
    { path in
      path.hasPrefix(workingDirectory + "/")
        ? String(path.dropFirst(workingDirectory.count + 1)) : path
    }
  }

  /// Makes `sys.executable` the front end, so that children started with it are patched
  /// first too. `multiprocessing` reads it when first imported, which is after this.
  private static func pointSysExecutable(at path: String) {
    guard let sys = try? PythonObject.importModule("sys"),
      let value = try? PythonObject.string(path)
    else { return }
    _ = try? sys.setAttribute("executable", to: value)
    _ = PythonError.take()
  }

  /// Runs `body` with the environment's site-packages on `sys.path` when python's `-S`
  /// left it off, so that eventlet can be imported; the path is removed again afterwards.
  private static func withSitePackages(
    _ installation: PythonInstallation, _ body: () throws(LaunchError) -> Void
  ) throws(LaunchError) {
    guard let sys = try? PythonObject.importModule("sys"),
      let flags = sys.attributeIfPresent("flags"),
      flags.attributeIfPresent("no_site")?.isTrue == true,
      let path = sys.attributeIfPresent("path"),
      let entry = try? PythonObject.string(installation.sitePackages)
    else { return try body() }
    _ = try? path.attribute("append").call(entry)
    defer { _ = try? path.attribute("remove").call(entry) }
    try body()
  }
}

/// One process's report under `greenlight test`: written at hand-off, so that a process that
/// ends with `os._exit` still counts, and written again at exit with what the run added.
final class ProcessReport: @unchecked Sendable {
  static let current = Mutex<ProcessReport?>(nil)

  private let inspector: Inspector
  private let path: String
  private let mode: PatchMode
  private let target: String

  init(inspector: Inspector, path: String, mode: PatchMode, target: String) {
    self.inspector = inspector
    self.path = path
    self.mode = mode
    self.target = target
  }

  func write(adding runTime: [Finding] = []) {
    ProcessReports.write(
      Report(
        version: greenlightVersion, mode: mode.rawValue, target: target,
        findings: HarnessFindings.judge(inspector.finish()) + runTime
          + EventletBan.findings(display: inspector.view.display),
        importFailure: ServiceRefusal.refusedImportFailure, process: inspector.processMode),
      to: path)
  }

  /// The atexit handler: the run-time watch stops, the last report is written, then the
  /// inspector's Python objects go while the interpreter still exists.
  static func atExit() {
    guard let report = current.withLock({ $0.take() }) else { return }
    report.write(adding: RuntimeWatch.stop(summarize: false))
    EventLog.record(.off)
    PatchWatch.stop()
  }
}
