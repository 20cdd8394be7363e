/// What one test did in one mode of `greenlight test --compare`.
public enum TestOutcome: String, Codable, Sendable, CaseIterable {
  case pass, fail, error, skip
  /// It started and had not ended when the mode's time ran out.
  case hang
  /// The other mode ran it; this one never reached it (or never reported it).
  case missing
}

/// One test's outcome as the runner reported it, with the first line of its failure.
public struct ModeOutcome: Codable, Equatable, Sendable {
  public var outcome: TestOutcome
  /// The failure's (or skip's) first line; empty when the runner gave none.
  public var detail: String
}

/// One test in both modes.
public struct ComparedTest: Codable, Equatable, Sendable {
  public var id: String
  public var eventlet: TestOutcome
  public var native: TestOutcome
  /// The first line of each mode's failure, skip reason or hang; absent when none.
  public var eventletDetail: String?
  public var nativeDetail: String?

  public var differs: Bool { eventlet != native }
}

/// How one mode of the comparison ended.
public struct ModeRun: Equatable, Sendable {
  /// `eventlet` (patched first) or `native` (`--forbid-eventlet`).
  public var mode: String
  /// Whether the mode refused eventlet's imports.
  public var forbidEventlet: Bool
  /// The runner's exit status, or nil when a signal ended it.
  public var status: Int32?
  public var signal: Int32?
  /// Whether `--compare-timeout` ran out and greenlight ended the stuck processes.
  public var timedOut: Bool
  /// The Python stacks of the processes still running when the time ran out.
  public var stacks: String?
  /// Why no outcome could be read, when none could.
  public var unreadable: String?
  /// The merged report of the mode's processes.
  public var report: Report
}

/// Both modes' outcomes, test by test.
public enum TestComparison {
  /// Joins the modes: every test either reported, in the order first seen (eventlet's, then
  /// native's own). A test that started and never ended is `hang` in a mode that timed out,
  /// and `error` in one that did not (its process ended under it); a test one mode never
  /// reported is `missing` there.
  public static func join(
    eventlet: [(id: String, status: String, detail: String)], eventletTimedOut: Bool,
    native: [(id: String, status: String, detail: String)], nativeTimedOut: Bool
  ) -> [ComparedTest] {
    func outcomes(_ list: [(id: String, status: String, detail: String)], timedOut: Bool)
      -> [String: ModeOutcome]
    {
      var map: [String: ModeOutcome] = [:]
      for entry in list {
        let outcome: TestOutcome =
          entry.status == "inprogress"
          ? (timedOut ? .hang : .error) : TestOutcome(rawValue: entry.status) ?? .error
        var detail = entry.detail
        if entry.status == "inprogress" {
          detail =
            timedOut
            ? "still running when --compare-timeout ran out"
            : "started and never ended: its process ended under it"
        }
        map[entry.id] = ModeOutcome(outcome: outcome, detail: detail)
      }
      return map
    }
    let green = outcomes(eventlet, timedOut: eventletTimedOut)
    let plain = outcomes(native, timedOut: nativeTimedOut)
    var order: [String] = []
    var seen: Set<String> = []
    for id in eventlet.map(\.id) + native.map(\.id) where seen.insert(id).inserted {
      order.append(id)
    }
    return order.map { id in
      let one = green[id] ?? ModeOutcome(outcome: .missing, detail: "")
      let other = plain[id] ?? ModeOutcome(outcome: .missing, detail: "")
      return ComparedTest(
        id: id, eventlet: one.outcome, native: other.outcome,
        eventletDetail: one.detail.isEmpty ? nil : one.detail,
        nativeDetail: other.detail.isEmpty ? nil : other.detail)
    }
  }
}
