/// `--verbose` output: one aligned line per phase on stderr.
struct Narrator {
  let enabled: Bool

  func callAsFunction(_ phase: String, _ text: String) {
    guard enabled else { return }
    let padded = phase + String(repeating: " ", count: max(1, 11 - phase.count))
    StandardError.line("greenlight: \(padded)\(text)")
  }
}

extension String {
  /// `text` followed by the milliseconds since `started`.
  init(format started: Double, _ text: String) {
    let elapsed = (Clock.milliseconds() - started) * 10
    self = "\(text) (\(Double(Int(elapsed.rounded())) / 10) ms)"
  }
}
