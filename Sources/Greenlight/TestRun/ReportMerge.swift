/// Merges the reports of a test run's processes into one: the same finding from many
/// processes appears once, with the number of processes that found it.
public enum ReportMerge {
  /// What makes two findings the same: everything a reader sees.
  private struct Key: Hashable {
    let rule: String
    let severity: Severity
    let message: String
    let subject: String
    let location: SourceLocation?
  }

  /// One report for the whole run; findings keep the order in which they were first seen
  /// (processes in the order given). Its `process` counts the processes that ran on eventlet
  /// and on native threads (``ProcessMode/merging(_:)``); its `importFailure` is the first
  /// process's, with the number of processes that had one.
  public static func merge(_ reports: [Report], mode: String, target: String) -> Report {
    var order: [Key] = []
    var merged: [Key: Finding] = [:]
    for report in reports {
      var seenHere: Set<Key> = []
      for finding in report.findings {
        let key = Key(
          rule: finding.rule, severity: finding.severity, message: finding.message,
          subject: finding.subject, location: finding.location)
        guard seenHere.insert(key).inserted else { continue }
        if var existing = merged[key] {
          existing.processes = (existing.processes ?? 1) + (finding.processes ?? 1)
          merged[key] = existing
        } else {
          var first = finding
          first.processes = finding.processes ?? 1
          merged[key] = first
          order.append(key)
        }
      }
    }
    let failures = reports.compactMap(\.importFailure)
    var failure = failures.first
    failure?.processes = failures.count
    return Report(
      version: greenlightVersion, mode: mode, target: target,
      findings: order.map { merged[$0]! }, importFailure: failure,
      process: ProcessMode.merging(reports.compactMap(\.process)))
  }
}
