/// The text of a comparison, for stderr: the tests whose outcome differs, each with the
/// first line of its failure in the mode it failed in, then each mode's counts and how the
/// mode ended.
enum ComparisonText {
  static func render(_ comparison: ComparisonReport, stacksElsewhere: String?) -> String {
    let labels = comparison.labels
    var lines: [String] = []
    let differing = comparison.differing
    let total = comparison.tests.count
    if differing.isEmpty {
      lines.append(
        "greenlight: --compare: all \(total) tests had the same outcome in both modes.")
    } else {
      lines.append(
        "greenlight: --compare: \(differing.count) of \(total) tests differ between"
          + " \(labels[0]) and \(labels[1]):")
      lines.append("  eventlet  native    test")
      for test in differing {
        let eventlet = test.eventlet.rawValue.padding(8)
        let native = test.native.rawValue.padding(8)
        lines.append("  \(eventlet)  \(native)  \(test.id)")
        for (name, detail) in [("eventlet", test.eventletDetail), ("native", test.nativeDetail)] {
          if let detail, !detail.isEmpty { lines.append("      \(name): \(detail)") }
        }
      }
    }
    for (index, run) in comparison.modes.enumerated() {
      var line = "greenlight: \(labels[index]): \(comparison.countsText(index))"
      switch (run.status, run.signal) {
      case (let status?, _) where status != 0: line += "; the runner ended with status \(status)"
      case (_, let signal?): line += "; the runner ended by signal \(signal)"
      default: break
      }
      if run.timedOut {
        line +=
          "; its time ran out after \(Int(comparison.timeout)) s (--compare-timeout) and"
          + " greenlight ended its processes"
      }
      if let reason = run.unreadable { line += "; no outcomes: \(reason)" }
      lines.append(line + ".")
      // What stopped a mode's tests is often a finding: an import greenlight refused.
      let errors = run.report.findings.filter { $0.severity == .error }
      if let first = errors.first {
        let place = first.location.map { " at \($0.description)" } ?? ""
        lines.append(
          "greenlight: its \(errors.count) error-level \(errors.count == 1 ? "finding" : "findings"),"
            + " the first: \(first.rule)\(place): \(first.message)")
      }
      if let stacks = run.stacks {
        if let elsewhere = stacksElsewhere {
          lines.append("greenlight: the stacks of its stuck processes are in \(elsewhere).")
        } else {
          lines.append("greenlight: the stacks of its stuck processes:")
          lines.append(stacks.hasSuffix("\n") ? String(stacks.dropLast()) : stacks)
        }
      }
    }
    return lines.joined(separator: "\n")
  }
}

extension String {
  /// The string padded with spaces to `width` characters.
  fileprivate func padding(_ width: Int) -> String {
    count >= width ? self : self + String(repeating: " ", count: width - count)
  }
}
