/// How much a finding matters. `check` fails on `error`; policies may change a rule's
/// severity.
public enum Severity: String, Codable, Sendable, CaseIterable, Comparable {
  case error
  case warning
  case info

  /// Errors sort first.
  public static func < (lhs: Severity, rhs: Severity) -> Bool {
    allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
  }
}

/// A place in the service's source.
public struct SourceLocation: Codable, Equatable, Hashable, Sendable {
  public var file: String
  public var line: Int?

  public init(file: String, line: Int?) {
    self.file = file
    self.line = line
  }

  /// `file:line`, or `file` when the line is unknown.
  public var description: String { line.map { "\(file):\($0)" } ?? file }
}

/// One hazard, said so exactly that a reviewer can fix it without reading greenlight.
public struct Finding: Codable, Equatable, Sendable {
  /// The stable rule id, such as `GL101`.
  public var rule: String
  /// The rule's short name, such as `imported-before-patch`.
  public var name: String
  public var severity: Severity
  /// One sentence: what is wrong.
  public var message: String
  /// The module or object concerned (`socket`, `mysvc.db.LOCK`).
  public var subject: String
  /// The file and line responsible, where it can be known.
  public var location: SourceLocation?
  /// One line: how to fix it.
  public var fix: String
  /// In a merged report (`greenlight test`): how many processes found it; nil for one
  /// process's report.
  public var processes: Int?

  public init(
    _ rule: Rule, severity: Severity? = nil, message: String, subject: String,
    location: SourceLocation?, fix: String? = nil
  ) {
    self.rule = rule.id
    self.name = rule.name
    self.severity = severity ?? rule.defaultSeverity
    self.message = message
    self.subject = subject
    self.location = location
    self.fix = fix ?? rule.fix
  }
}

/// Everything one launch found, in the order the rules ran.
public struct Report: Codable, Equatable, Sendable {
  /// `greenlight` and its version.
  public var tool: Tool
  /// The patch mode the launch ran in: `first`, `target` or `none`.
  public var mode: String
  /// The target as given on the command line (`-m svc`, `--entry a:b`, `FILE`).
  public var target: String
  public var findings: [Finding]
  /// `check`: how the target's import ended when it did not complete; nil when it did.
  /// `greenlight test`: the first import of the suite's code that a service's refusal of
  /// greenlight's patch ended (``ServiceRefusal``), so the tests behind it did not run.
  public var importFailure: ImportFailure?
  /// Which concurrency the process ran in and who decided, at the report's moment; nil only
  /// in reports made without a launch (tests, and reports written by older versions).
  public var process: ProcessMode?

  public struct Tool: Codable, Equatable, Sendable {
    public var name = "greenlight"
    public var version: String
  }

  public init(
    version: String, mode: String, target: String, findings: [Finding],
    importFailure: ImportFailure? = nil, process: ProcessMode? = nil
  ) {
    self.tool = Tool(version: version)
    self.mode = mode
    self.target = target
    self.findings = findings
    self.importFailure = importFailure
    self.process = process
  }

  /// Whether any error-level finding remains.
  public var hasErrors: Bool { findings.contains { $0.severity == .error } }
}

/// The exception that ended `check`'s import of the target before it completed: the report
/// then holds what was seen up to that point.
public struct ImportFailure: Codable, Equatable, Sendable {
  /// The exception's class, such as `ModuleNotFoundError` or `SystemExit`; `os._exit` when
  /// the import ended the process through it.
  public var exception: String
  /// `str()` of the exception (of its code, for `SystemExit`); may be empty.
  public var message: String
  /// Where it was raised: the innermost frame outside importlib, or a `SyntaxError`'s own
  /// file and line; nil when no frame of the service's is involved (`-m` of a missing
  /// module).
  public var location: SourceLocation?
  /// In a merged report (`greenlight test`): how many processes failed to import the suite's
  /// code this way; nil for one process's report.
  public var processes: Int?

  public init(
    exception: String, message: String, location: SourceLocation?, processes: Int? = nil
  ) {
    self.exception = exception
    self.message = message
    self.location = location
    self.processes = processes
  }

  /// `RuntimeError: boom`, as the last line of a traceback reads.
  public var description: String { message.isEmpty ? exception : "\(exception): \(message)" }
}
