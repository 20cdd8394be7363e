import Foundation
import Testing

/// `greenlight test --patch none` judges what its processes run as `run --patch none` does:
/// the runner and its `sys.executable` children go through the python front end, which
/// watches OS threads (GL503) and where a hub starts (GL601 at the call), and their
/// findings reach the run's one report. Fixtures/native_suite holds the suite.
@Suite("greenlight test --patch none: run-time findings of the suite's processes")
struct NativeSuiteTests {
  static let fixture = Paths.fixture("native_suite")

  /// The suite's `file` under pytest, natively, with its JSON report; the result and the
  /// report's findings.
  private func run(_ file: String) throws -> (ChildResult, [[String: Any]]) {
    let folder = try Paths.temporaryFolder()
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let reportFile = folder + "/report.json"
    let result = try greenlight(
      [
        "test", "--python", Paths.venv, "--patch", "none", "--format", "json", "--report-file",
        reportFile, "--",
        "-m", "pytest", "-p", "no:cacheprovider", "-q", file,
      ], workingDirectory: Self.fixture, environment: ["PYTHONWARNINGS": "ignore"], seconds: 180)
    let data = try Data(contentsOf: URL(fileURLWithPath: reportFile))
    try expectValid(Array(data), as: "json")
    let report = try JSONSerialization.jsonObject(with: data) as? [String: Any]
    return (result, try #require(report?["findings"] as? [[String: Any]], "\(result.stderrText)"))
  }

  /// The fixture's line that holds `text`, as findings print it.
  private func line(of text: String, in file: String) throws -> Int {
    let source = try String(contentsOfFile: Self.fixture + "/" + file, encoding: .utf8)
    let lines = source.components(separatedBy: "\n")
    return try #require(lines.firstIndex { $0.contains(text) }, "\(text)") + 1
  }

  private func place(_ finding: [String: Any]) -> String {
    let location = finding["location"] as? [String: Any]
    return "\(location?["file"] as? String ?? "?"):\(location?["line"] as? Int ?? 0)"
  }

  @Test("a test that forks while an OS thread waits: GL503 at the fork, naming the thread")
  func forkWithThread() throws {
    let (result, findings) = try run("test_fork.py")
    #expect(result.status == 0, "\(result.stdoutText)\(result.stderrText)")
    #expect(result.stdoutText.contains("1 passed"), "\(result.stdoutText)")
    let forks = findings.filter { $0["rule"] as? String == "GL503" }
    #expect(forks.count == 1, "\(findings)")
    let fork = try #require(forks.first)
    #expect(fork["severity"] as? String == "warning", "\(fork)")
    #expect(place(fork) == "test_fork.py:\(try line(of: "os.fork()", in: "test_fork.py"))")
    let started = try line(of: "thread.start()", in: "test_fork.py")
    #expect(
      (fork["message"] as? String)?.contains("\"waiter\" started at test_fork.py:\(started)")
        == true, "\(fork)")
    #expect(
      (fork["message"] as? String)?.hasPrefix(
        "os.fork was called by test_fork_while_a_thread_waits while 1 other OS thread was alive")
        == true, "\(fork)")
  }

  @Test("tests that start a hub unpatched: GL601 at each call, the runner's and a child's")
  func hubUnpatched() throws {
    let (result, findings) = try run("test_hub.py")
    #expect(result.status == 0, "\(result.stdoutText)\(result.stderrText)")
    #expect(result.stdoutText.contains("2 passed"), "\(result.stdoutText)")
    let hubs = findings.filter {
      $0["rule"] as? String == "GL601" && $0["subject"] as? String == "eventlet.hubs"
    }
    #expect(hubs.allSatisfy { $0["severity"] as? String == "error" }, "\(hubs)")
    // At the calls that made the hubs, not at eventlet's import (test_hub.py's line 9).
    #expect(
      Set(hubs.map(place)) == [
        "test_hub.py:\(try line(of: "eventlet.sleep(0)", in: "test_hub.py"))",
        "hub_child.py:\(try line(of: "pool.imap", in: "hub_child.py"))",
      ], "\(findings)")
    let runner = try #require(hubs.first { place($0).hasPrefix("test_hub.py:") }, "\(hubs)")
    #expect(
      (runner["message"] as? String)?.hasPrefix(
        "An eventlet hub (Hub) was started by test_green_sleep_unpatched although nothing"
          + " patched") == true, "\(runner)")
    #expect(
      result.stderrText.contains("2 python processes of the run (--patch none)"),
      "\(result.stderrText)")
  }
}
