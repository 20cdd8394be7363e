/// What `greenlight test --compare` found: every test in both modes, and how each mode
/// ended. Rendered as text (stderr), JSON (`schema/greenlight-compare.schema.json`) or
/// SARIF (one result for each test whose outcome differs).
public struct ComparisonReport: Sendable {
  public var target: String
  /// `--compare-timeout`, in seconds.
  public var timeout: Double
  public var tests: [ComparedTest]
  /// The eventlet mode, then the native one (twice when eventlet forbidden left no test to
  /// run: the last is the one compared).
  public var modes: [ModeRun]
  /// Each mode's name with what it ran as: `native (--forbid-eventlet)`.
  public var labels: [String]

  public var differing: [ComparedTest] { tests.filter(\.differs) }

  /// How many tests had each outcome in the mode at `index` of ``modes``: the eventlet
  /// mode, the compared native one, or nil for a native run that was run again.
  func counts(_ index: Int) -> [TestOutcome: Int]? {
    guard index == 0 || index == modes.count - 1 else { return nil }
    var counts: [TestOutcome: Int] = [:]
    for test in tests { counts[index == 0 ? test.eventlet : test.native, default: 0] += 1 }
    return counts
  }

  /// `115 pass, 2 skip`: the outcomes that occurred, in ``TestOutcome``'s order.
  func countsText(_ index: Int) -> String {
    guard let counts = counts(index) else { return "no test ran; compared: the next run" }
    let parts = TestOutcome.allCases.compactMap { outcome in
      counts[outcome].map { "\($0) \(outcome.rawValue)" }
    }
    return parts.isEmpty ? "no tests" : parts.joined(separator: ", ")
  }
}

/// The JSON document of a comparison.
struct ComparisonJSON: Encodable {
  struct Counts: Encodable {
    var tests: Int
    var differ: Int
    var eventlet: [String: Int]
    var native: [String: Int]
  }

  struct Mode: Encodable {
    var mode: String
    var patch: String
    var forbidEventlet: Bool
    var status: Int32?
    var signal: Int32?
    var timedOut: Bool
    var stacks: String?
    var unreadable: String?
    var report: JSONReport
  }

  var tool: Report.Tool
  var target: String
  var compareTimeout: Double
  var tests: [ComparedTest]
  var counts: Counts
  var modes: [Mode]

  init(_ comparison: ComparisonReport) {
    tool = Report.Tool(version: greenlightVersion)
    target = comparison.target
    compareTimeout = comparison.timeout
    tests = comparison.tests
    func all(_ index: Int) -> [String: Int] {
      let counts = comparison.counts(index) ?? [:]
      return Dictionary(
        uniqueKeysWithValues: TestOutcome.allCases.map { ($0.rawValue, counts[$0] ?? 0) })
    }
    counts = Counts(
      tests: comparison.tests.count, differ: comparison.differing.count, eventlet: all(0),
      native: all(comparison.modes.count - 1))
    modes = comparison.modes.map { run in
      Mode(
        mode: run.mode, patch: run.report.mode, forbidEventlet: run.forbidEventlet,
        status: run.status, signal: run.signal, timedOut: run.timedOut, stacks: run.stacks,
        unreadable: run.unreadable, report: JSONReport(run.report))
    }
  }
}
