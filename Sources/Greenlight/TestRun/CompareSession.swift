import FoundationEssentials
import PythonRuntime

#if canImport(Glibc)
  import Glibc
#endif

/// `greenlight test --compare`: the suite twice, patched first (`eventlet`) and then native
/// with eventlet forbidden (`native`), each test's outcome read from the runner's own record
/// (``OutcomeSource``), and one comparison of the two. A mode still running when
/// `--compare-timeout` runs out has its processes' stacks taken and is ended; the
/// comparison goes on.
public enum CompareSession {
  /// `--compare-timeout`'s default: five minutes a mode.
  public static let defaultTimeout: Double = 300

  /// What the native mode does with eventlet (`--compare-native`).
  public enum Native: String, Sendable {
    /// Forbid it; when that leaves no test to run (a test module that cannot be imported
    /// without eventlet ends stestr's discovery), run again with it importable.
    case auto
    /// Forbid it (`--forbid-eventlet`), whatever that leaves.
    case forbid
    /// Leave it importable and never patch (`--patch none`).
    case none
  }

  private struct Mode {
    let name: String
    let key: String
    let patch: PatchMode
    let forbid: Bool
    var label: String {
      forbid ? "--forbid-eventlet" : patch == .first ? "--patch first" : "--patch none"
    }
  }

  /// Runs the comparison; returns 0 when no test's outcome differs, 1 when one does.
  public static func run(
    _ request: TestRequest, timeout: Double, native: Native = .auto
  ) throws(LaunchError) -> Int32 {
    let say = Narrator(enabled: request.verbose)
    let prepared = try TestSession.prepare(request, say: say)
    let (installation, folder, link) = (prepared.installation, prepared.folder, prepared.link)
    defer { TestSession.removeRunFolder(folder) }
    // The record's reader, and pytest's plugin in a folder of its own (its PYTHONPATH).
    let parser = folder + "/test_outcomes.py"
    let plugins = folder + "/pytest-plugin"
    guard
      FileSystem.write(
        String(decoding: PackageResources.test_outcomes_py, as: UTF8.self), to: parser),
      PrivateFolder.ensure(plugins),
      FileSystem.write(
        String(decoding: PackageResources.greenlight_pytest_starts_py, as: UTF8.self),
        to: plugins + "/\(OutcomeSource.pluginModule).py")
    else {
      throw LaunchError(
        .preflight, status: ExitStatus.software,
        "greenlight cannot write into its run folder \(folder): \(String(cString: strerror(errno)))."
      )
    }

    var plan = [
      Mode(name: "eventlet", key: "eventlet", patch: .first, forbid: false),
      Mode(name: "native", key: "native", patch: .none, forbid: native != .none),
    ]
    var runs: [ModeRun] = []
    var labels: [String] = []
    var outcomes: [[(id: String, status: String, detail: String)]] = []
    while !plan.isEmpty {
      let mode = plan.removeFirst()
      var asked = request
      asked.patchMode = mode.patch
      asked.forbidEventlet = mode.forbid
      let (run, found, interrupted) = try runMode(
        asked, name: mode.name, key: mode.key, label: mode.label, link: link,
        installation: installation, folder: folder, parser: parser, plugins: plugins,
        timeout: timeout, say: say)
      if let interrupted {
        TestSession.removeRunFolder(folder)
        return RunnerProcess.die(by: interrupted)
      }
      runs.append(run)
      labels.append("\(mode.name) (\(mode.label))")
      outcomes.append(found)
      // A refused import the test loader caught still ends stestr's discovery: stestr
      // lists the tests first and stops at a module that failed to import.
      if native == .auto, mode.forbid, found.isEmpty,
        let refusal = run.report.findings.first(where: { $0.rule == Rule.eventletInNativeMode.id })
      {
        let place = refusal.location.map { " at \($0.description)" } ?? ""
        StandardError.line(
          "greenlight: --compare: no test ran with eventlet forbidden (its import was refused"
            + "\(place)). The native mode runs again with eventlet importable and never"
            + " patched (--patch none).")
        plan.append(Mode(name: "native", key: "native-importable", patch: .none, forbid: false))
      }
    }
    let tests = TestComparison.join(
      eventlet: outcomes[0], eventletTimedOut: runs[0].timedOut,
      native: outcomes[outcomes.count - 1], nativeTimedOut: runs[runs.count - 1].timedOut)
    let comparison = ComparisonReport(
      target: request.runnerArguments.joined(separator: " "), timeout: timeout, tests: tests,
      modes: runs, labels: labels)
    ComparisonPublisher.publish(comparison, options: request.report)
    return tests.contains(where: \.differs) ? ExitStatus.findings : 0
  }

  /// One mode: the runner in its own process group, with a deadline; then its record read
  /// by the suite's python and its processes' reports merged.
  private static func runMode(
    _ request: TestRequest, name: String, key: String, label: String, link: String,
    installation: PythonInstallation, folder: String, parser: String, plugins: String,
    timeout: Double, say: Narrator
  ) throws(LaunchError) -> (ModeRun, [(id: String, status: String, detail: String)], Int32?) {
    let reports = folder + "/reports-" + key
    let stacks = folder + "/stacks-" + key
    let record = folder + "/record-" + key
    guard PrivateFolder.ensure(reports), PrivateFolder.ensure(stacks),
      let source = OutcomeSource.forRunner(
        request.runnerArguments, recordingTo: record, pluginFolder: plugins)
    else {
      throw LaunchError(
        .preflight, status: ExitStatus.software,
        "greenlight cannot prepare its run folder \(folder): \(String(cString: strerror(errno))).")
    }
    let arguments = [link] + source.arguments
    StandardError.line(
      "greenlight: --compare: the \(name) mode (\(label)): python \(source.arguments.joined(separator: " "))"
    )
    say("runner", arguments.joined(separator: " "))
    let environment = source.runnerEnvironment(
      TestSession.runEnvironment(request, installation: installation, reports: reports)
        + ["\(StackDumpSignal.folderVariable)=\(stacks)"])
    let ended: TimedRunner.Ended
    switch TimedRunner.run(
      arguments, environment: environment, stdout: source.stdoutIsRecord ? record : nil,
      seconds: timeout, stacksFolder: stacks)
    {
    case .success(let result): ended = result
    case .failure(let failure):
      throw LaunchError(
        .handOff, status: ExitStatus.software,
        "greenlight cannot start the python front end \(link): \(failure.message).")
    }
    let (report, _, _) = TestSession.mergedReport(reports, request)
    var run = ModeRun(
      mode: name, forbidEventlet: request.forbidEventlet, timedOut: ended.timedOut,
      stacks: ended.stacks, report: report)
    switch ended.outcome {
    case .exited(let status): run.status = status
    case .signaled(let number): run.signal = number
    }
    guard ended.interrupted == nil else { return (run, [], ended.interrupted) }
    let read = RecordReader.read(source, parser: parser, python: installation.executable)
    RecordReader.passOnRunnerText(of: source)
    switch read {
    case .success(let found): return (run, found, nil)
    case .failure(let reason):
      run.unreadable = reason.message
      return (run, [], nil)
    }
  }
}
