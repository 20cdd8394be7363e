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
    let installation = try Preflight.installation(request.python)
    say("python", "\(installation.executable) (Python \(installation.version))")
    guard let executable = FrontEndLink.selfExecutable else {
      throw LaunchError(
        .preflight, status: ExitStatus.software,
        "greenlight cannot find its own executable (/proc/self/exe).")
    }
    let folder = try makeRunFolder()
    defer { removeRunFolder(folder) }
    guard PrivateFolder.ensure(folder + "/bin"), PrivateFolder.ensure(folder + "/reports"),
      let link = FrontEndLink.make(in: folder + "/bin", pointingAt: executable)
    else {
      throw LaunchError(
        .preflight, status: ExitStatus.software,
        "greenlight cannot prepare its run folder \(folder): \(String(cString: strerror(errno))).")
    }

    // the run
    let arguments = [link] + request.runnerArguments
    say("runner", arguments.joined(separator: " "))
    var environment = FrontEndSettings.processEnvironment()
    environment[FrontEndSettings.pythonVariable] = installation.executable
    environment[FrontEndSettings.patchVariable] = request.patchMode.rawValue
    environment[FrontEndSettings.reportDirectoryVariable] = folder + "/reports"
    environment.merge(FrontEndSettings.environment(for: request.watch)) { $1 }
    if !request.policy.servicePackages.isEmpty {
      environment[FrontEndSettings.servicePackagesVariable] =
        request.policy.servicePackages.joined(separator: ",")
    }
    let outcome: RunnerProcess.Outcome
    switch RunnerProcess.run(arguments, environment: environment.map { "\($0)=\($1)" }) {
    case .success(let ended): outcome = ended
    case .failure(let failure):
      throw LaunchError(
        .handOff, status: ExitStatus.software,
        "greenlight cannot start the python front end \(link): \(failure.message).")
    }

    // one report for every process
    let (reports, unreadable) = ProcessReports.read(folder + "/reports")
    let merged = ReportMerge.merge(
      reports, mode: request.patchMode.rawValue,
      target: request.runnerArguments.joined(separator: " "))
    var report = merged
    report.findings = request.policy.apply(to: merged.findings)
    publish(report, processes: reports.count, unreadable: unreadable, request)

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

  private static func publish(
    _ report: Report, processes: Int, unreadable: Int, _ request: TestRequest
  ) {
    Reporting(
      purpose: .check, policy: .none, options: request.report, mode: request.patchMode,
      target: report.target
    ).write(report)
    let mode =
      switch request.patchMode {
      case .first: "patched first"
      case .target: "patched by the suite itself"
      case .none: "not patched"
      }
    var line =
      "greenlight: \(processes) python \(processes == 1 ? "process" : "processes") of the run,"
      + " \(mode)"
    if unreadable > 0 { line += "; \(unreadable) unreadable reports" }
    StandardError.line(line + ".")
  }

  /// A new folder of mode 0700 under `$TMPDIR` (or `/tmp`).
  private static func makeRunFolder() throws(LaunchError) -> String {
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

  /// Removes the run folder: the link, the reports and the folders that hold them.
  private static func removeRunFolder(_ folder: String) {
    for sub in ["reports", "bin"] {
      for name in FileSystem.contents(of: folder + "/" + sub) {
        unlink(folder + "/" + sub + "/" + name)
      }
      rmdir(folder + "/" + sub)
    }
    rmdir(folder)
  }
}
