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

  /// The two modes, in the order they run: the native one forbids eventlet's import
  /// unless `forbid` is false (`--compare-native none`: importable, never patched).
  static func modes(forbid: Bool) -> [(name: String, mode: PatchMode, forbid: Bool, label: String)]
  {
    [
      ("eventlet", .first, false, "--patch first"),
      ("native", .none, forbid, forbid ? "--forbid-eventlet" : "--patch none"),
    ]
  }

  /// Runs the comparison; returns 0 when no test's outcome differs, 1 when one does.
  /// `forbid`: the native mode refuses eventlet's imports (the default).
  public static func run(
    _ request: TestRequest, timeout: Double, forbid: Bool = true
  ) throws(LaunchError) -> Int32 {
    let modes = modes(forbid: forbid)
    let say = Narrator(enabled: request.verbose)
    let prepared = try TestSession.prepare(request, say: say)
    let (installation, folder, link) = (prepared.installation, prepared.folder, prepared.link)
    defer { TestSession.removeRunFolder(folder) }
    let parser = folder + "/test_outcomes.py"
    guard
      FileSystem.write(String(decoding: PackageResources.test_outcomes_py, as: UTF8.self), to: parser)
    else {
      throw LaunchError(
        .preflight, status: ExitStatus.software,
        "greenlight cannot write into its run folder \(folder): \(String(cString: strerror(errno))).")
    }

    var runs: [ModeRun] = []
    var outcomes: [[(id: String, status: String, detail: String)]] = []
    for mode in modes {
      var asked = request
      asked.patchMode = mode.mode
      asked.forbidEventlet = mode.forbid
      let (run, found, interrupted) = try runMode(
        asked, name: mode.name, label: mode.label, link: link, installation: installation,
        folder: folder, parser: parser, timeout: timeout, say: say)
      if let interrupted {
        TestSession.removeRunFolder(folder)
        return RunnerProcess.die(by: interrupted)
      }
      runs.append(run)
      outcomes.append(found)
    }
    let tests = TestComparison.join(
      eventlet: outcomes[0], eventletTimedOut: runs[0].timedOut,
      native: outcomes[1], nativeTimedOut: runs[1].timedOut)
    let comparison = ComparisonReport(
      target: request.runnerArguments.joined(separator: " "), timeout: timeout, tests: tests,
      modes: runs, labels: modes.map { "\($0.name) (\($0.label))" })
    ComparisonPublisher.publish(comparison, options: request.report)
    return tests.contains(where: \.differs) ? ExitStatus.findings : 0
  }

  /// One mode: the runner in its own process group, with a deadline; then its record read
  /// by the suite's python and its processes' reports merged.
  private static func runMode(
    _ request: TestRequest, name: String, label: String, link: String,
    installation: PythonInstallation, folder: String, parser: String, timeout: Double,
    say: Narrator
  ) throws(LaunchError) -> (ModeRun, [(id: String, status: String, detail: String)], Int32?) {
    let reports = folder + "/reports-" + name
    let stacks = folder + "/stacks-" + name
    let record = folder + "/record-" + name
    guard PrivateFolder.ensure(reports), PrivateFolder.ensure(stacks),
      let source = OutcomeSource.forRunner(request.runnerArguments, recordingTo: record)
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
    let environment =
      TestSession.runEnvironment(request, installation: installation, reports: reports)
      + ["\(StackDumpSignal.folderVariable)=\(stacks)"]
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
      mode: name, forbidEventlet: request.forbidEventlet, timedOut: ended.timedOut, stacks: ended.stacks, report: report)
    switch ended.outcome {
    case .exited(let status): run.status = status
    case .signaled(let number): run.signal = number
    }
    guard ended.interrupted == nil else { return (run, [], ended.interrupted) }
    let read = RecordReader.read(source, parser: parser, python: installation.executable)
    switch read {
    case .success(let found): return (run, found, nil)
    case .failure(let reason):
      run.unreadable = reason.message
      return (run, [], nil)
    }
  }
}
