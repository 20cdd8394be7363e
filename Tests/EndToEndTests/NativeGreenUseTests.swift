import Foundation
import Testing

/// Native mode judges what runs: in a process nobody patched, the first green use is one
/// GL601 error at its call site, whether it started a hub (on any thread) or acquired a
/// green lock that never reached a hub; a green lock only made is not use
/// (Fixtures/native/green_uses.py, one case per run).
@Suite("green uses in a native process")
struct NativeGreenUseTests {
  static let fixture = "Tests/EndToEndTests/Fixtures/native/green_uses.py"
  static let quiet = ["PYTHONWARNINGS": "ignore"]

  struct Case: CustomTestStringConvertible, Sendable {
    let name: String
    let subject: String
    let message: String
    let marker: String

    var testDescription: String { name }
  }

  static let errors: [Case] = [
    Case(
      name: "semaphore", subject: "eventlet.semaphore.Semaphore",
      message: "A green lock (eventlet.semaphore.Semaphore) was acquired in take although",
      marker: "sem.acquire()  # the uncontended acquire"),
    Case(
      name: "capped", subject: "eventlet.semaphore.Semaphore",
      message: "A green lock (eventlet.semaphore.Semaphore) was acquired in take_capped",
      marker: "with sem:  # CappedSemaphore"),
    // The acquire waited, so it started a hub too: one finding, for the lock, which came first.
    Case(
      name: "contended", subject: "eventlet.semaphore.Semaphore",
      message: "A green lock (eventlet.semaphore.Semaphore) was acquired in wait_briefly",
      marker: "sem.acquire(timeout=0.01)"),
    // Both, the hub first: one finding, for the hub.
    Case(
      name: "hub-first", subject: "eventlet.hubs",
      message: "An eventlet hub (Hub) was started by sleep_then_take although nothing",
      marker: "eventlet.sleep(0)  # the hub starts here"),
    // The hub is on a thread that is not the one that judges: the watch saw it start.
    Case(
      name: "thread-hub", subject: "eventlet.hubs",
      message: "An eventlet hub (Hub) was started by nap although nothing patched",
      marker: "eventlet.sleep(0)"),
  ]

  private func check(_ fixtureCase: String) throws -> (ChildResult, [[String: Any]]) {
    let result = try greenlight(
      [
        "check", "--no-patch", "--python", Paths.venv, "--format", "json", Self.fixture,
        fixtureCase,
      ], workingDirectory: Paths.root, environment: Self.quiet)
    let report = try JSONSerialization.jsonObject(with: Data(result.stdout)) as? [String: Any]
    let findings = try #require(report?["findings"] as? [[String: Any]], "\(result.stderrText)")
    return (result, findings.filter { $0["rule"] as? String == "GL601" })
  }

  /// The fixture's line that holds `text`.
  private func line(of text: String) throws -> Int {
    let source = try String(contentsOfFile: Paths.root + "/" + Self.fixture, encoding: .utf8)
    let lines = source.components(separatedBy: "\n")
    return try #require(lines.firstIndex { $0.contains(text) }, "\(text)") + 1
  }

  @Test("check --no-patch: one GL601 error, at the first green use", arguments: errors)
  func error(_ expected: Case) throws {
    let (result, gl601) = try check(expected.name)
    #expect(result.status == 1, "\(result.stderrText)")
    #expect(gl601.count == 1, "\(gl601)")
    let finding = try #require(gl601.first)
    #expect(finding["severity"] as? String == "error", "\(finding)")
    #expect(finding["subject"] as? String == expected.subject, "\(finding)")
    #expect((finding["message"] as? String ?? "").hasPrefix(expected.message), "\(finding)")
    let location = finding["location"] as? [String: Any]
    #expect(location?["file"] as? String == Self.fixture, "\(finding)")
    #expect(location?["line"] as? Int == (try line(of: expected.marker)), "\(finding)")
  }

  /// Made and never acquired; or eventlet's copy of threading loaded, which takes locks of
  /// its own as it loads (futurist imports it).
  @Test(
    "check --no-patch: green locks not used are info, at eventlet's import",
    arguments: ["made", "green-module"])
  func notUsed(_ fixtureCase: String) throws {
    let (result, gl601) = try check(fixtureCase)
    #expect(result.status == 0, "\(result.stderrText)")
    #expect(gl601.count == 1, "\(gl601)")
    #expect(gl601.first?["severity"] as? String == "info", "\(gl601)")
    #expect(gl601.first?["subject"] as? String == "eventlet", "\(gl601)")
    let location = gl601.first?["location"] as? [String: Any]
    #expect(location?["line"] as? Int == (try line(of: "import eventlet  #")), "\(gl601)")
  }

  @Test("run --no-patch: a green lock acquired after hand-off is the GL601 error at exit")
  func lockAtRun() throws {
    let result = try greenlight(
      ["run", "--no-patch", "--python", Paths.venv, Self.fixture, "semaphore"],
      workingDirectory: Paths.root, environment: Self.quiet)
    #expect(result.status == 0, "\(result.stderrText)")
    #expect(result.stdoutText.contains("done semaphore"), "\(result.stdoutText)")
    let text = result.stderrText
    let error =
      "error GL601 eventlet-in-native-mode: A green lock"
      + " (eventlet.semaphore.Semaphore) was acquired in take although nothing patched"
    #expect(text.contains(error), "\(text)")
    #expect(text.components(separatedBy: "error GL601").count == 2, "\(text)")
    let site = "\(Self.fixture):\(try line(of: "sem.acquire()  # the uncontended acquire"))"
    #expect(text.contains(site), "\(text)")
  }

  @Test("run --no-patch: after the first acquire, Semaphore.acquire is eventlet's function")
  func restoredAfterUse() throws {
    let result = try greenlight(
      ["run", "--no-patch", "--python", Paths.venv, Self.fixture, "restored"],
      workingDirectory: Paths.root, environment: Self.quiet)
    #expect(result.status == 0, "\(result.stderrText)")
    #expect(
      result.stdoutText.contains(
        "acquire before the first use: instancemethod acquire after: function Semaphore.acquire"),
      "\(result.stdoutText)")
  }

  @Test("run --patch target: once the service patches, the watch ends and acquire is eventlet's")
  func restoredAtPatch() throws {
    let result = try greenlight(
      ["run", "--patch", "target", "--python", Paths.venv, Self.fixture, "patched"],
      workingDirectory: Paths.root, environment: Self.quiet)
    #expect(result.status == 0, "\(result.stderrText)")
    #expect(
      result.stdoutText.contains("acquire after the service patched: function Semaphore.acquire"),
      "\(result.stdoutText)")
    #expect(!result.stderrText.contains("GL601"), "\(result.stderrText)")
  }
}
