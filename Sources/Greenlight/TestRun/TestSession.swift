import PythonRuntime

#if canImport(Glibc)
  import Glibc
#endif

/// Everything `greenlight test` needs, decided by the command line.
public struct TestRequest: Sendable {
  /// `--python`: a venv folder or an interpreter; nil for the default search.
  public var python: String?
  public var patchMode: PatchMode
  /// What the python front end runs: `-m pytest` unless given after `--`.
  public var runnerArguments: [String]
  /// `--strict`: fail a passing run when any process had an error-level finding.
  public var strict: Bool
  public var verbose: Bool
  public var policy: Policy
  public var report: ReportOptions
  /// The run-time watch in every process of the run.
  public var watch: WatchOptions = WatchOptions()
  /// `--forbid-eventlet`: every process refuses eventlet's imports (mode none).
  public var forbidEventlet = false

  public init(
    python: String?, patchMode: PatchMode, runnerArguments: [String], strict: Bool,
    verbose: Bool, policy: Policy, report: ReportOptions
  ) {
    self.python = python
    self.patchMode = patchMode
    self.runnerArguments = runnerArguments
    self.strict = strict
    self.verbose = verbose
    self.policy = policy
    self.report = report
  }
}

/// `greenlight test`: runs the suite through the python front end, so that the runner and
/// every child started with `sys.executable` is patched first, then prints one report for
/// every process of the run. The runner's exit status is the run's.
public enum TestSession {
  public static func run(_ request: TestRequest) throws(LaunchError) -> Int32 {
    let say = Narrator(enabled: request.verbose)

    // preflight: the Python, greenlight's own executable, a private folder for the link
    // and the reports.
    let prepared = try prepare(request, say: say)
    let (installation, folder, link) = (prepared.installation, prepared.folder, prepared.link)
    defer { removeRunFolder(folder) }
    guard PrivateFolder.ensure(folder + "/reports") else {
      throw LaunchError(
        .preflight, status: ExitStatus.software,
        "greenlight cannot prepare its run folder \(folder): \(String(cString: strerror(errno))).")
    }

    // the run
    let arguments = [link] + request.runnerArguments
    say("runner", arguments.joined(separator: " "))
    let environment = runEnvironment(
      request, installation: installation, reports: folder + "/reports")
    let outcome: RunnerProcess.Outcome
    switch RunnerProcess.run(arguments, environment: environment) {
    case .success(let ended): outcome = ended
    case .failure(let failure):
      throw LaunchError(
        .handOff, status: ExitStatus.software,
        "greenlight cannot start the python front end \(link): \(failure.message).")
    }

    // one report for every process
    let (report, reports, unreadable) = mergedReport(folder + "/reports", request)
    publish(report, processes: reports.count, unreadable: unreadable, outcome: outcome, request)

    switch outcome {
    case .signaled(let number):
      removeRunFolder(folder)
      return RunnerProcess.die(by: number)
    case .exited(let status) where status != 0:
      return status
    case .exited:
      guard request.strict, report.hasErrors else { return 0 }
      StandardError.line(
        "greenlight: error: --strict: the tests passed, but error-level findings remain.")
      return ExitStatus.findings
    }
  }

  /// The Python, a new run folder and the front end's link in it.
  static func prepare(_ request: TestRequest, say: Narrator) throws(LaunchError) -> (
    installation: PythonInstallation, folder: String, link: String
  ) {
    let installation = try Preflight.installation(request.python)
    say("python", "\(installation.executable) (Python \(installation.version))")
    guard let executable = FrontEndLink.selfExecutable else {
      throw LaunchError(
        .preflight, status: ExitStatus.software,
        "greenlight cannot find its own executable (/proc/self/exe).")
    }
    let folder = try makeRunFolder()
    guard PrivateFolder.ensure(folder + "/bin"),
      let link = FrontEndLink.make(in: folder + "/bin", pointingAt: executable)
    else {
      removeRunFolder(folder)
      throw LaunchError(
        .preflight, status: ExitStatus.software,
        "greenlight cannot prepare its run folder \(folder): \(String(cString: strerror(errno))).")
    }
    return (installation, folder, link)
  }

  /// The environment of the runner: the request's mode, watch and ban for every process,
  /// whose reports go to `reports`.
  static func runEnvironment(
    _ request: TestRequest, installation: PythonInstallation, reports: String
  ) -> [String] {
    var environment = FrontEndSettings.processEnvironment()
    environment[FrontEndSettings.pythonVariable] = installation.executable
    environment[FrontEndSettings.patchVariable] = request.patchMode.rawValue
    if request.forbidEventlet { environment[FrontEndSettings.forbidEventletVariable] = "1" }
    environment[FrontEndSettings.reportDirectoryVariable] = reports
    environment.merge(FrontEndSettings.environment(for: request.watch)) { $1 }
    if !request.policy.servicePackages.isEmpty {
      environment[FrontEndSettings.servicePackagesVariable] =
        request.policy.servicePackages.joined(separator: ",")
    }
    return environment.map { "\($0)=\($1)" }
  }

  /// One report for every process whose report is in `folder`, with the policy applied:
  /// the report, the processes' reports and the number of unreadable ones.
  static func mergedReport(_ folder: String, _ request: TestRequest) -> (
    Report, [Report], Int
  ) {
    let (reports, unreadable) = ProcessReports.read(folder)
    // The processes' own mode (auto decided in each) when they share one, else as asked.
    let modes = Set(reports.map(\.mode))
    var report = ReportMerge.merge(
      reports, mode: modes.count == 1 ? modes.first! : request.patchMode.rawValue,
      target: request.runnerArguments.joined(separator: " "))
    report.findings = request.policy.apply(to: report.findings)
    return (report, reports, unreadable)
  }

  /// Writes the merged report, then what greenlight knows of a refusal behind a failed
  /// import, then one last line: how many processes, the mode they ran in, and how the
  /// runner ended when it failed.
  private static func publish(
    _ report: Report, processes: Int, unreadable: Int, outcome: RunnerProcess.Outcome,
    _ request: TestRequest
  ) {
    Reporting(
      purpose: .check, policy: .none, options: request.report, mode: request.patchMode,
      target: report.target
    ).write(report)
    if let file = report.importFailure?.location?.file,
      let sentence = ServiceRefusal.sentence(forRefusalIn: file)
    {
      StandardError.line("greenlight: error: \(sentence)")
    }
    // The suite's mode as its processes ran it, not as asked: under auto each process
    // decides from the project's source, and a suite may patch in some processes only.
    let mode = report.process.map { "; " + $0.description } ?? ""
    var line =
      "greenlight: \(processes) python \(processes == 1 ? "process" : "processes") of the run"
      + " (--patch \(request.patchMode.rawValue))\(mode)"
    if unreadable > 0 { line += "; \(unreadable) unreadable reports" }
    if let failure = report.importFailure {
      let count = failure.processes ?? 1
      line += "; \(count) \(count == 1 ? "process" : "processes") could not import the tests"
    }
    if case .exited(let status) = outcome, status != 0 {
      line += "; the runner ended with status \(status)"
    }
    StandardError.line(line + ".")
  }

  /// A new folder of mode 0700 under `$TMPDIR` (or `/tmp`).
  static func makeRunFolder() throws(LaunchError) -> String {
    let base = getenv("TMPDIR").map { String(cString: $0) }.flatMap {
      FileSystem.isDirectory($0) ? $0 : nil
    }
    var template = Array(((base ?? "/tmp") + "/greenlight-test-XXXXXX").utf8CString)
    let made = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
    guard made != nil else {
      throw LaunchError(
        .preflight, status: ExitStatus.software,
        "greenlight cannot create a run folder in \(base ?? "/tmp"):"
          + " \(String(cString: strerror(errno))).")
    }
    return String(cString: template.map { $0 })
  }

  /// Removes the run folder and everything in it (the link, the reports, the records and
  /// stacks of --compare, its pytest plugin with the `__pycache__` python made beside it).
  /// Links are removed, never followed.
  static func removeRunFolder(_ folder: String) {
    for name in FileSystem.contents(of: folder) {
      let path = folder + "/" + name
      var info = stat()
      if lstat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR {
        removeRunFolder(path)
      } else {
        unlink(path)
      }
    }
    rmdir(folder)
  }
}
