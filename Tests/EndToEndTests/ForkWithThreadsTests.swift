import Foundation
import Testing

/// GL503 and the OS thread census, in a process patched first and in one not patched at all,
/// on Fixtures/watch/fork_threads.py.
@Suite("fork with threads")
struct ForkWithThreadsTests {
  static let fixture = "Tests/EndToEndTests/Fixtures/watch/fork_threads.py"

  private func run(
    _ mode: String, _ fixtureCase: String, options: [String] = []
  ) throws -> ChildResult {
    try greenlight(
      ["run", "--python", Paths.venv, "--patch", mode] + options
        + [Paths.root + "/" + Self.fixture, fixtureCase],
      workingDirectory: Paths.root, seconds: 90)
  }

  /// The fixture's line that holds `text`, as findings print it.
  private func line(of text: String) throws -> String {
    let source = try String(contentsOfFile: Paths.root + "/" + Self.fixture, encoding: .utf8)
    let lines = source.components(separatedBy: "\n")
    let index = try #require(lines.firstIndex { $0.contains(text) }, "\(text)")
    return "\(Self.fixture):\(index + 1)"
  }

  /// The peak of the census in a summary line, if any.
  private func peak(_ text: String) -> Int? {
    guard let range = text.range(of: "OS threads: peak ") else { return nil }
    return Int(text[range.upperBound...].prefix { $0.isNumber })
  }

  @Test(
    "a fork while two OS threads wait: GL503 at the fork, naming both",
    arguments: [
      "none", "first",
    ])
  func twoThreads(mode: String) throws {
    let result = try run(mode, "threads")
    #expect(result.status == 0, "\(result.stderrText)")
    #expect(result.stdoutText == "done threads\n")
    let text = result.stderrText
    #expect(text.components(separatedBy: "warning GL503 fork-with-threads").count == 2, "\(text)")
    #expect(text.contains("while 2 other OS threads were alive"), "\(text)")
    let started = try line(of: "thread.start()")
    #expect(text.contains("\"worker\" started at \(started)"), "\(text)")
    #expect(text.contains("\"Thread-1 (wait)\" started at \(started)"), "\(text)")
    #expect(text.contains("  os.fork at \(try line(of: "os.fork()"))\n"), "\(text)")
    #expect(text.contains("GL503 ×1; OS threads: peak "), "\(text)")
    #expect(text.hasSuffix(", started at \(started) ×2.\n"), "\(text)")
    #expect((peak(text) ?? 0) >= 3, "\(text)")
  }

  @Test(
    "a daemon thread holding a threading.Lock at the fork: GL503 names it",
    arguments: [
      "none", "first",
    ])
  func lockHolder(mode: String) throws {
    let result = try run(mode, "lock")
    #expect(result.status == 0, "\(result.stderrText)")
    let text = result.stderrText
    // A held threading.Lock records no owner: the finding stays a warning.
    #expect(text.contains("warning GL503 fork-with-threads"), "\(text)")
    #expect(text.contains("while 1 other OS thread was alive"), "\(text)")
    #expect(text.contains("\"holder\" started at \(try line(of: "thread.start()"))"), "\(text)")
  }

  @Test(
    "a fork while another thread holds a module's import lock: GL503 is an error naming it",
    arguments: [
      "none", "first",
    ])
  func importLockHolder(mode: String) throws {
    let result = try run(mode, "importing")
    #expect(result.status == 0, "\(result.stderrText)")
    #expect(result.stdoutText == "done importing\n")
    let text = result.stderrText
    #expect(text.contains("error GL503 fork-with-threads"), "\(text)")
    #expect(!text.contains("warning GL503"), "\(text)")
    #expect(
      text.contains(
        "it inherits the import lock of fork_slow_import held by one of them, so its first"
          + " import of it waits for ever"), "\(text)")
    #expect(
      text.contains(
        "\"importer\" started at \(try line(of: "thread.start()"))"
          + ", holding the import lock of fork_slow_import."), "\(text)")
    #expect(text.contains("  os.fork at \(try line(of: "os.fork()"))\n"), "\(text)")
  }

  @Test(
    "a fork with no other OS thread (a green one waits when patched): nothing",
    arguments: [
      "none", "first",
    ])
  func alone(mode: String) throws {
    let result = try run(mode, "alone")
    #expect(result.status == 0, "\(result.stderrText)")
    #expect(result.stdoutText == "done alone\n")
    #expect(!result.stderrText.contains("GL503"), "\(result.stderrText)")
    #expect(!result.stderrText.contains("run-time findings"), "\(result.stderrText)")
  }

  @Test(
    "multiprocessing's fork start method while a thread waits: GL503 at start()",
    arguments: [
      "none", "first",
    ])
  func multiprocessingFork(mode: String) throws {
    let result = try run(mode, "multiprocessing")
    #expect(result.status == 0, "\(result.stderrText)")
    let text = result.stderrText
    #expect(text.contains("warning GL503 fork-with-threads"), "\(text)")
    #expect(text.contains("\"waiter\" started at"), "\(text)")
    #expect(text.contains("  os.fork at \(try line(of: "process.start()"))\n"), "\(text)")
  }

  @Test(
    "os.forkpty while a thread waits: GL503 at the call",
    arguments: [
      "none", "first",
    ])
  func forkpty(mode: String) throws {
    let result = try run(mode, "forkpty")
    #expect(result.status == 0, "\(result.stderrText)")
    #expect(result.stdoutText == "done forkpty\n")
    let text = result.stderrText
    #expect(text.components(separatedBy: "warning GL503 fork-with-threads").count == 2, "\(text)")
    #expect(text.contains("\"waiter\" started at"), "\(text)")
    #expect(text.contains("  os.fork at \(try line(of: "os.forkpty()"))\n"), "\(text)")
  }

  @Test(
    "a Popen with a preexec_fn while a thread waits: subprocess's own fork is no GL503",
    arguments: [
      "none", "first",
    ])
  func preexec(mode: String) throws {
    let result = try run(mode, "preexec")
    #expect(result.status == 0, "\(result.stderrText)")
    #expect(result.stdoutText == "done preexec\n")
    #expect(!result.stderrText.contains("GL503"), "\(result.stderrText)")
  }

  @Test("--report-file: the GL503 line and the census in the summary")
  func reportFile() throws {
    let folder = try Paths.temporaryFolder()
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let file = folder + "/watch.jsonl"
    let result = try run("first", "threads", options: ["--format", "json", "--report-file", file])
    #expect(result.status == 0, "\(result.stderrText)")
    let objects = try String(contentsOfFile: file, encoding: .utf8).split(separator: "\n").map {
      try #require(
        try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any], "\($0)")
    }
    let fork = try #require(objects.first { $0["rule"] as? String == "GL503" }, "\(objects)")
    #expect(fork["severity"] as? String == "warning")
    #expect(fork["name"] as? String == "fork-with-threads")
    let last = try #require(objects.last)
    #expect(last["summary"] as? [String: Int] == ["GL502": 2, "GL503": 1], "\(last)")
    let threads = try #require(last["threads"] as? [String: Any], "\(last)")
    #expect((threads["peak"] as? Int ?? 0) >= 3, "\(threads)")
    let sites = try #require(threads["sites"] as? [[String: Any]])
    #expect(sites.first?["site"] as? String == (try line(of: "thread.start()")), "\(sites)")
    #expect(sites.first?["count"] as? Int == 2, "\(sites)")
  }
}
