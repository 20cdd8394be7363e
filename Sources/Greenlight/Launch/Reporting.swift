import PythonRuntime

#if canImport(Glibc)
  import Glibc
#endif

/// Where and how a launch reports its findings.
public struct ReportOptions: Sendable {
  /// `--format`: text goes to stderr, json and sarif to stdout, unless `file` is given.
  public var format: ReportFormat
  /// `--report-file`, absolute.
  public var file: String?
  /// Colour for text on stderr (a TTY and no NO_COLOR).
  public var color: Bool

  /// `file` is made absolute now: the service may change the working directory before the
  /// report is written (at its own patch, at exit), and the report goes where it was asked.
  public init(format: ReportFormat = .text, file: String? = nil, color: Bool = false) {
    self.format = format
    self.file = file.map(FileSystem.absolute)
    self.color = color
  }
}

/// The report phase: apply the policy, write the report, decide the exit status.
struct Reporting {
  let purpose: LaunchRequest.Purpose
  let policy: Policy
  let options: ReportOptions
  let mode: PatchMode
  /// How the report names the target.
  let target: String

  init(_ request: LaunchRequest) {
    self.init(
      purpose: request.purpose, policy: request.policy, options: request.report,
      mode: request.patchMode, target: request.target.commandLine)
  }

  init(
    purpose: LaunchRequest.Purpose, policy: Policy, options: ReportOptions, mode: PatchMode,
    target: String
  ) {
    self.purpose = purpose
    self.policy = policy
    self.options = options
    self.mode = mode
    self.target = target
  }

  /// Writes the report and returns the status: for `check`, 0 or 1; for `run`, 0 or
  /// `ExitStatus.refused` under `--strict`. `run` stays silent unless a warning or an
  /// error was found.
  /// `importFailure` is check's: the report then says where the import stopped. `process`
  /// is the process's mode at this moment.
  func publish(
    _ raw: [Finding], process: ProcessMode, importFailure: ImportFailure? = nil
  ) -> Int32 {
    let findings = policy.apply(to: raw)
    let report = Report(
      version: greenlightVersion, mode: mode.rawValue, target: target, findings: findings,
      importFailure: importFailure, process: process)
    // check always reports; run only when something needs attention (info-level notes
    // such as eventlet's own subprocess gap would otherwise print on every start).
    let isCheck = purpose == .check
    if isCheck || findings.contains(where: { $0.severity != .info }) || options.file != nil {
      write(report)
    }
    guard report.hasErrors else { return 0 }
    switch purpose {
    case .check: return ExitStatus.findings
    case .run(let strict):
      if strict {
        StandardError.line(
          "greenlight: error: --strict: error-level findings, so the service is not started.")
        return ExitStatus.refused
      }
      return 0
    }
  }

  func write(_ report: Report) {
    let color = options.file == nil && options.format == .text && options.color
    var text = ReportRenderer.render(report, as: options.format, color: color) + "\n"
    if case .run = purpose, options.file != nil, options.format == .json {
      // run's report file is JSON lines: the run-time watch appends its findings.
      text = ReportRenderer.renderJSONLine(report) + "\n"
    }
    if let file = options.file {
      if !FileSystem.replace(file, with: text) {
        StandardError.line("greenlight: error: cannot write the report to \(file).")
      }
    } else if options.format == .text {
      StandardError.write(text)
    } else {
      StandardOutput.write(text)
    }
  }
}

/// greenlight's version, as `--version` prints it and reports carry it.
public let greenlightVersion = "0.2.0"
