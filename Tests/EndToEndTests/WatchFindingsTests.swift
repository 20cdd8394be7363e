import Foundation
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// Which run-time findings a process keeps: its own only, across a fork, and one per cause
/// however often the cause recurs. Fixtures in Fixtures/watch/.
@Suite("run-time findings")
struct WatchFindingsTests {
  private func run(
    _ fixture: String, _ arguments: [String] = [], options: [String] = []
  ) throws -> ChildResult {
    try greenlight(
      ["run", "--python", Paths.venv] + options + [Paths.fixture("watch/" + fixture)]
        + arguments,
      workingDirectory: Paths.root, seconds: 90)
  }

  /// The JSON objects of a `--report-file`, one a line.
  private func objects(_ file: String) throws -> [[String: Any]] {
    try String(contentsOfFile: file, encoding: .utf8).split(separator: "\n").map {
      try #require(
        try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any], "\($0)")
    }
  }

  @Test("a forked child watches its own hub and reports only its own findings")
  func fork() throws {
    let result = try run("fork_findings.py")
    #expect(result.termination == .exited(0), "\(result.stderrText)")
    let text = result.stderrText
    #expect(text.components(separatedBy: "error GL202").count == 2, "\(text)")
    #expect(text.components(separatedBy: "error GL501").count == 2, "\(text)")
    #expect(text.contains("child_blocks_the_hub waits in a call that does not yield"), "\(text)")
    #expect(text.components(separatedBy: "greenlight: run-time findings:").count == 3, "\(text)")
    #expect(text.contains("greenlight: run-time findings: GL202 ×1.\n"), "\(text)")
    #expect(text.contains("greenlight: run-time findings: GL501 ×1 (longest"), "\(text)")
  }

  @Test("--report-file across a fork: one summary per process, each of its own findings")
  func forkReportFile() throws {
    let folder = try Paths.temporaryFolder()
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let file = folder + "/watch.jsonl"
    let result = try run(
      "fork_findings.py", options: ["--format", "json", "--report-file", file])
    #expect(result.termination == .exited(0), "\(result.stderrText)")
    let lines = try objects(file)
    let rules = lines.compactMap { $0["event"] == nil ? $0["rule"] as? String : nil }
    #expect(rules.sorted() == ["GL202", "GL501"], "\(lines)")
    // The start-up report (the first line) has a summary of its own, by severity.
    let summaries = lines.dropFirst().compactMap { $0["summary"] as? [String: Int] }
    #expect(summaries.count == 2, "\(lines)")
    #expect(summaries.contains(["GL202": 1]), "\(summaries)")
    #expect(summaries.contains(["GL501": 1]), "\(summaries)")
  }

  @Test("500 OS threads started from one line: one GL502, counted 500 times")
  func threadsFromOneLine() throws {
    let result = try run("many_sites.py", ["threads"])
    #expect(result.termination == .exited(0), "\(result.stderrText)")
    let text = result.stderrText
    #expect(text.components(separatedBy: "GL502 native-thread-started").count == 2, "\(text)")
    #expect(text.contains("  start_and_join at Tests/EndToEndTests/Fixtures/watch/many_sites.py:"))
    #expect(
      text.contains("greenlight: run-time findings: GL502 ×500; OS threads: peak "), "\(text)")
    #expect(text.hasSuffix("many_sites.py:17 ×500.\n"), "\(text)")
  }

  @Test("50 os.system calls from one line in --report-file: one GL202, the summary counts 50")
  func processCallsFromOneLine() throws {
    let folder = try Paths.temporaryFolder()
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let file = folder + "/watch.jsonl"
    let result = try run(
      "many_sites.py", ["system"], options: ["--format", "json", "--report-file", file])
    #expect(result.termination == .exited(0), "\(result.stderrText)")
    let lines = try objects(file)
    #expect(lines.filter { $0["rule"] as? String == "GL202" }.count == 1, "\(lines)")
    #expect(lines.last?["summary"] as? [String: Int] == ["GL202": 50], "\(lines)")
  }
}
