import FoundationEssentials

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The shapes a report can take.
public enum ReportFormat: String, CaseIterable, Sendable {
  /// Human text for standard error, grouped by severity.
  case text
  /// One JSON object that follows `schema/greenlight-report.schema.json`.
  case json
  /// A SARIF 2.1.0 log with one run, for code scanning.
  case sarif
}

/// Turns a ``Report`` into text, JSON or SARIF.
///
/// Rendering is pure: the same report gives the same string (SARIF also reads the working
/// directory, to make paths relative). None of the strings ends with a newline; the caller
/// adds one as it writes.
public enum ReportRenderer {
  /// Renders `report` as `format`. `color` adds ANSI escapes to the text format and is
  /// ignored by the others.
  public static func render(_ report: Report, as format: ReportFormat, color: Bool) -> String {
    switch format {
    case .text: TextRenderer.render(report, color: color)
    case .json: renderJSON(report)
    case .sarif: SARIFRenderer.render(report, workingDirectory: currentDirectory())
    }
  }

  /// The JSON document: the report's own keys plus `summary`. A finding whose location is
  /// unknown has no `location` key, and a location whose line is unknown has no `line`.
  static func renderJSON(_ report: Report) -> String {
    encode(JSONReport(report))
  }

  /// The JSON document on one line: the first line of `run`'s JSON-lines report file, which
  /// the run-time watch's findings follow.
  static func renderJSONLine(_ report: Report) -> String {
    encode(JSONReport(report), pretty: false)
  }

  /// Key-sorted JSON with `/` left unescaped, so paths and URIs read as written; pretty
  /// unless asked for one line.
  static func encode(_ value: some Encodable, pretty: Bool = true) -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting =
      pretty
      ? [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
      : [.sortedKeys, .withoutEscapingSlashes]
    // Cannot fail: the documents hold only strings, integers and arrays of them.
    let data = try! encoder.encode(value)
    return String(decoding: data, as: UTF8.self)
  }

  /// The process's working directory, or `/` in the unlikely case it cannot be read.
  private static func currentDirectory() -> String {
    guard let pointer = getcwd(nil, 0) else { return "/" }
    defer { free(pointer) }
    return String(cString: pointer)
  }
}

/// What the `json` format writes; `summary` is derived, so it is not part of ``Report``.
/// `importFailure` is present only when `check`'s import of the target did not complete;
/// `process` in every report of a launch.
struct JSONReport: Encodable {
  var tool: Report.Tool
  var mode: String
  var target: String
  var findings: [Finding]
  var importFailure: ImportFailure?
  var process: ProcessMode?
  var summary: SeverityCounts

  init(_ report: Report) {
    tool = report.tool
    mode = report.mode
    target = report.target
    findings = report.findings
    importFailure = report.importFailure
    process = report.process
    summary = SeverityCounts(report.findings)
  }
}

/// How many findings there are of each severity.
struct SeverityCounts: Codable, Equatable {
  var errors = 0
  var warnings = 0
  var info = 0

  init(_ findings: [Finding]) {
    for finding in findings {
      switch finding.severity {
      case .error: errors += 1
      case .warning: warnings += 1
      case .info: info += 1
      }
    }
  }
}

/// Whether greenlight's text on standard error gets colour.
public enum ColorChoice {
  /// Colour only when file descriptor 2 is a terminal, `NO_COLOR` is unset or empty
  /// (no-color.org: any non-empty value turns colour off) and `TERM` is not `dumb`.
  public static func forStandardError(environment: [String: String]) -> Bool {
    forStandardError(noColor: environment["NO_COLOR"], term: environment["TERM"])
  }

  /// The same from the two variables' values, read by the caller: a launch reads them with
  /// `getenv`, since a start's first `Dictionary` can cost it about 250k instructions
  /// (docs/embedding-notes.md, "Giving the launch's costs back").
  public static func forStandardError(noColor: String?, term: String?) -> Bool {
    decide(isTerminal: isatty(2) == 1, noColor: noColor, term: term)
  }

  /// The decision without the terminal check, so that it can be tested.
  static func decide(isTerminal: Bool, environment: [String: String]) -> Bool {
    decide(isTerminal: isTerminal, noColor: environment["NO_COLOR"], term: environment["TERM"])
  }

  static func decide(isTerminal: Bool, noColor: String?, term: String?) -> Bool {
    guard isTerminal else { return false }
    if let noColor, !noColor.isEmpty { return false }
    return term != "dumb"
  }
}
