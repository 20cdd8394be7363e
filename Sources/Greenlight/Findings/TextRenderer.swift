/// The human report on standard error: errors first, then warnings, then info, three lines
/// a finding, the process's mode in one line, and one summary line.
///
///     error GL101 imported-before-patch: socket was imported before patching.
///       socket at mysvc/__init__.py:3
///       fix: Patch before any other import: run under greenlight, or call ...
///
///     greenlight: eventlet, patched by the service at mysvc/__init__.py:9 (eventlet.monkey_patch())
///     greenlight: 1 error
enum TextRenderer {
  static func render(_ report: Report, color: Bool) -> String {
    let style = ANSIStyle(enabled: color)
    var blocks: [String] = []
    for severity in Severity.allCases {
      for finding in report.findings where finding.severity == severity {
        blocks.append(describe(finding, style: style))
      }
    }
    if let failure = report.importFailure {
      blocks.append(importFailureLine(failure, style: style))
    }
    var summary = summaryLine(report.findings, style: style)
    if report.importFailure?.processes != nil, report.findings.isEmpty {
      summary = "greenlight: no findings in what ran; the tests that failed to import did not run"
    }
    blocks.append(report.process.map { "greenlight: \($0.description)\n" + summary } ?? summary)
    return blocks.joined(separator: "\n\n")
  }

  /// Says that check judged only part of the import, and where it stopped; in a merged
  /// report of `greenlight test`, that the suite's code failed to import in its processes.
  static func importFailureLine(_ failure: ImportFailure, style: ANSIStyle) -> String {
    let severity = style.paint("error", ANSIStyle.color(for: .error))
    let place =
      failure.location.map { " at " + style.paint($0.description, ANSIStyle.cyan) } ?? ""
    if let processes = failure.processes {
      let count = processes == 1 ? "1 process" : "\(processes) processes"
      return """
        \(severity) the suite's tests failed to import\(place) (\(count)): \(failure.description)
          the tests of those modules did not run; greenlight judged only what ran
        """
    }
    return """
      \(severity) the target's import failed\(place): \(failure.description)
        greenlight judged what ran until then; the rest of the import was not seen
      """
  }

  static func describe(_ finding: Finding, style: ANSIStyle) -> String {
    let severity = style.paint(finding.severity.rawValue, ANSIStyle.color(for: finding.severity))
    let rule = style.paint("\(finding.rule) \(finding.name)", ANSIStyle.bold)
    let place =
      finding.location.map { " at " + style.paint($0.description, ANSIStyle.cyan) }
      ?? ", " + style.paint("location unknown", ANSIStyle.dim)
    let fix = style.paint("fix:", ANSIStyle.green)
    let count = finding.processes.map { $0 == 1 ? " (1 process)" : " (\($0) processes)" } ?? ""
    return """
      \(severity) \(rule): \(finding.message)
        \(finding.subject)\(place)\(count)
        \(fix) \(finding.fix)
      """
  }

  /// `greenlight: 2 errors, 1 warning`, zero counts left out, or `greenlight: no findings`;
  /// coloured as its most severe finding.
  static func summaryLine(_ findings: [Finding], style: ANSIStyle = ANSIStyle(enabled: false))
    -> String
  {
    let counts = SeverityCounts(findings)
    let parts = [
      counted(counts.errors, "error", "errors"),
      counted(counts.warnings, "warning", "warnings"),
      counted(counts.info, "info", "info"),
    ].compactMap { $0 }
    guard let worst = findings.map(\.severity).min() else {
      return "greenlight: no findings"
    }
    return "greenlight: " + style.paint(parts.joined(separator: ", "), ANSIStyle.color(for: worst))
  }

  private static func counted(_ count: Int, _ one: String, _ many: String) -> String? {
    switch count {
    case 0: nil
    case 1: "1 \(one)"
    default: "\(count) \(many)"
    }
  }
}

/// ANSI SGR escapes, or nothing when colour is off.
struct ANSIStyle {
  var enabled: Bool

  static let bold = "1"
  static let dim = "2"
  static let cyan = "36"
  static let green = "32"

  static func color(for severity: Severity) -> String {
    switch severity {
    case .error: "1;31"
    case .warning: "1;33"
    case .info: "1;34"
    }
  }

  func paint(_ text: String, _ code: String) -> String {
    enabled ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
  }
}
