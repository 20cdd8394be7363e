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

  public struct Tool: Codable, Equatable, Sendable {
    public var name = "greenlight"
    public var version: String
  }

  public init(version: String, mode: String, target: String, findings: [Finding]) {
    self.tool = Tool(version: version)
    self.mode = mode
    self.target = target
    self.findings = findings
  }

  /// Whether any error-level finding remains.
  public var hasErrors: Bool { findings.contains { $0.severity == .error } }
}
