/// The text of a comparison, for stderr: the tests whose outcome differs, each with the
/// first line of its failure in the mode it failed in, then each mode's counts and how the
/// mode ended.
enum ComparisonText {
  /// `stacksElsewhere`: the report file that holds the stacks and every test, when there
  /// is one.
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
          + " \(labels[0]) and \(labels[labels.count - 1]):")
      lines.append("  eventlet  native    test")
      // The tests that ran in both modes first; those one mode never reached after them,
      // as one line when the report file lists them.
      let reached = differing.filter { $0.eventlet != .missing && $0.native != .missing }
      let unreached = differing.filter { $0.eventlet == .missing || $0.native == .missing }
      for test in reached + (stacksElsewhere == nil || unreached.count <= 5 ? unreached : []) {
        let eventlet = test.eventlet.rawValue.padding(8)
        let native = test.native.rawValue.padding(8)
        lines.append("  \(eventlet)  \(native)  \(test.id)")
        for (name, detail) in [("eventlet", test.eventletDetail), ("native", test.nativeDetail)] {
          if let detail, !detail.isEmpty { lines.append("      \(name): \(detail)") }
        }
      }
      if let file = stacksElsewhere, unreached.count > 5 {
        let native = unreached.filter { $0.native == .missing }.count
        let eventlet = unreached.count - native
        var parts: [String] = []
        if native > 0 { parts.append("\(native) tests the native mode never reached") }
        if eventlet > 0 { parts.append("\(eventlet) tests the eventlet mode never reached") }
        lines.append("  (and \(parts.joined(separator: " and ")): listed in \(file))")
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
      if run.mode == "native", let process = run.report.process, process.concurrency != .native {
        lines.append(
          "greenlight: its processes did not all run on native threads: \(process.description).")
      }
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
