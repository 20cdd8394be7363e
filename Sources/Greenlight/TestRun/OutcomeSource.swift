import PythonRuntime

/// Where `greenlight test --compare` reads each test's outcome: the runner's own record of
/// it, never its text. The runner's arguments are changed only to ask for that record.
///
/// - `-m stestr [OPTIONS] run ...`: `run --subunit`, the subunit v2 stream on stdout.
/// - `-m subunit.run ...`: its stream on stdout, as given.
/// - `-m unittest ...`: the same arguments under `-m subunit.run` (discovery when none).
/// - `-m pytest ...` (or `py.test`): `--junitxml` to a file of the run folder, and
///   `-p greenlight_pytest_starts` (`Sources/Greenlight/Python/greenlight_pytest_starts.py`,
///   found through `PYTHONPATH`), which writes each test's start to `PATH.starts`: the XML
///   has no record of the test a timeout stopped.
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
  /// The folder that holds pytest's plugin (``pluginModule``), put first on the runner's
  /// `PYTHONPATH`; nil when the runner loads none.
  var pluginFolder: String? = nil

  /// The pytest plugin that records each test's start, as `-p` names it.
  static let pluginModule = "greenlight_pytest_starts"
  /// The variable that tells the plugin where to write.
  static let startsVariable = "GREENLIGHT_PYTEST_STARTS"

  /// The source for `runnerArguments`, recording into `path` (pytest's plugin is to be in
  /// `pluginFolder`, by default `pytest-plugin` beside the record); nil for a runner greenlight cannot
  /// read outcomes from.
  static func forRunner(
    _ runnerArguments: [String], recordingTo path: String, pluginFolder: String? = nil
  ) -> OutcomeSource? {
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
      // `-p` first: pytest finds it anywhere, but after a `--` argparse would not.
      return OutcomeSource(
        kind: .junit,
        arguments: ["-m", module, "-p", pluginModule] + rest + ["--junitxml=" + path],
        stdoutIsRecord: false, path: path,
        pluginFolder: pluginFolder ?? FileSystem.parent(path) + "/pytest-plugin")
    default:
      return nil
    }
  }
}

extension OutcomeSource {
  /// The runner's `environment` (`NAME=value` entries) with what its record needs: the
  /// plugin's folder first on `PYTHONPATH` and the file for its starts.
  func runnerEnvironment(_ environment: [String]) -> [String] {
    guard let pluginFolder else { return environment }
    let prefix = "PYTHONPATH="
    var changed = environment.filter {
      !$0.hasPrefix(prefix) && !$0.hasPrefix(Self.startsVariable + "=")
    }
    let given = environment.last(where: { $0.hasPrefix(prefix) }).map {
      String($0.dropFirst(prefix.count))
    }
    changed.append(prefix + pluginFolder + (given.map { $0.isEmpty ? "" : ":" + $0 } ?? ""))
    changed.append(Self.startsVariable + "=" + path + ".starts")
    return changed
  }
}

/// Whether `--compare` can read a runner's outcomes, for the command line's validation.
public enum OutcomeSources {
  public static func recognizes(_ runnerArguments: [String]) -> Bool {
    OutcomeSource.forRunner(runnerArguments, recordingTo: "/dev/null") != nil
  }
}
