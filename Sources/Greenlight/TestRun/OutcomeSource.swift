/// Where `greenlight test --compare` reads each test's outcome: the runner's own record of
/// it, never its text. The runner's arguments are changed only to ask for that record.
///
/// - `-m stestr [OPTIONS] run ...`: `run --subunit`, the subunit v2 stream on stdout.
/// - `-m subunit.run ...`: its stream on stdout, as given.
/// - `-m unittest ...`: the same arguments under `-m subunit.run` (discovery when none).
/// - `-m pytest ...` (or `py.test`): `--junitxml` to a file of the run folder.
struct OutcomeSource: Equatable, Sendable {
  enum Kind: String, Sendable {
    case subunit
    case junit
  }

  let kind: Kind
  /// The runner's arguments, changed to write its record.
  let arguments: [String]
  /// Whether the runner's stdout is the record (subunit), so it goes to `path`.
  let stdoutIsRecord: Bool
  /// The file the record ends up in.
  let path: String

  /// The source for `runnerArguments`, recording into `path`; nil for a runner greenlight
  /// cannot read outcomes from.
  static func forRunner(_ runnerArguments: [String], recordingTo path: String) -> OutcomeSource? {
    guard runnerArguments.count >= 2, runnerArguments[0] == "-m" else { return nil }
    let module = runnerArguments[1]
    let rest = Array(runnerArguments.dropFirst(2))
    switch module {
    case "stestr":
      guard let run = rest.firstIndex(of: "run") else { return nil }
      var changed = rest
      if !rest.contains("--subunit") { changed.insert("--subunit", at: run + 1) }
      return OutcomeSource(
        kind: .subunit, arguments: ["-m", "stestr"] + changed, stdoutIsRecord: true, path: path)
    case "subunit.run":
      return OutcomeSource(
        kind: .subunit, arguments: runnerArguments, stdoutIsRecord: true, path: path)
    case "unittest":
      return OutcomeSource(
        kind: .subunit, arguments: ["-m", "subunit.run"] + (rest.isEmpty ? ["discover"] : rest),
        stdoutIsRecord: true, path: path)
    case "pytest", "py.test":
      return OutcomeSource(
        kind: .junit, arguments: runnerArguments + ["--junitxml=" + path], stdoutIsRecord: false,
        path: path)
    default:
      return nil
    }
  }
}

/// Whether `--compare` can read a runner's outcomes, for the command line's validation.
public enum OutcomeSources {
  public static func recognizes(_ runnerArguments: [String]) -> Bool {
    OutcomeSource.forRunner(runnerArguments, recordingTo: "/dev/null") != nil
  }
}
