import FoundationEssentials
import PythonRuntime

#if canImport(Glibc)
  import Glibc
#endif

/// Reads a runner's record (a subunit stream, a JUnit XML file) with the suite's own python
/// and python-subunit's or the standard library's parser: `test_outcomes.py`, embedded in
/// greenlight (`Sources/Greenlight/Python/`), run as a plain python, outside greenlight.
enum RecordReader {
  struct Unreadable: Error {
    let message: String
  }

  private struct Line: Decodable {
    let id: String
    let status: String
    let detail: String
  }

  static func read(_ source: OutcomeSource, parser: String, python: String) -> Result<
    [(id: String, status: String, detail: String)], Unreadable
  > {
    guard FileSystem.exists(source.path) else {
      return .failure(
        Unreadable(message: "the runner wrote no \(source.kind.rawValue) record"))
    }
    let output = source.path + ".outcomes"
    let errors = source.path + ".errors"
    let environment = FrontEndSettings.processEnvironment().filter {
      !$0.key.hasPrefix("GREENLIGHT_")
    }.map { "\($0.key)=\($0.value)" }
    let arguments = [python, parser, source.kind.rawValue, source.path]
    let argv = arguments.map { strdup($0) } + [nil]
    let envp = environment.map { strdup($0) } + [nil]
    defer {
      argv.forEach { free($0) }
      envp.forEach { free($0) }
    }
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 1, output, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
    posix_spawn_file_actions_addopen(&actions, 2, errors, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
    var pid: pid_t = 0
    let spawned = posix_spawn(&pid, python, &actions, nil, argv, envp)
    guard spawned == 0 else {
      return .failure(
        Unreadable(message: "\(python) could not be started: \(String(cString: strerror(spawned)))")
      )
    }
    var status: Int32 = 0
    while waitpid(pid, &status, 0) < 0, errno == EINTR {}
    guard status == 0 else {
      let said = (FileSystem.readText(errors) ?? "").split(separator: "\n").last.map(String.init)
      return .failure(
        Unreadable(message: said ?? "test_outcomes.py ended with wait status \(status)"))
    }
    let decoder = JSONDecoder()
    var found: [(id: String, status: String, detail: String)] = []
    for line in (FileSystem.readText(output) ?? "").split(separator: "\n") {
      guard let entry = try? decoder.decode(Line.self, from: Data(line.utf8)) else {
        return .failure(Unreadable(message: "test_outcomes.py wrote a line that is not JSON"))
      }
      found.append((entry.id, entry.status, entry.detail))
    }
    return .success(found)
  }
}

extension RecordReader {
  /// Copies to stdout, byte for byte, what the runner wrote on its stdout besides its
  /// subunit stream (`test_outcomes.py` puts it in `STREAM.stdout`): the runner's own text.
  static func passOnRunnerText(of source: OutcomeSource) {
    guard source.stdoutIsRecord, let file = fopen(source.path + ".stdout", "r") else { return }
    defer { fclose(file) }
    var chunk = [UInt8](repeating: 0, count: 16384)
    while true {
      let count = chunk.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, file) }
      if count == 0 { break }
      var offset = 0
      while offset < count {
        let written = chunk[offset..<count].withUnsafeBytes { write(1, $0.baseAddress, $0.count) }
        if written < 0, errno == EINTR { continue }
        if written <= 0 { return }
        offset += written
      }
    }
  }
}
