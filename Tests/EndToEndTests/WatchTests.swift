import Foundation
import Testing

/// The run-time watch on Examples/watch/stalls.py: both kinds of hub stall name the
/// blocker, the run-time rules fire on their cases, and the clean example service, tpool
/// and `--watch off` stay quiet.
@Suite("run-time watch")
struct WatchTests {
  static let stalls = Paths.examples + "/watch/stalls.py"

  private func run(_ cases: [String], options: [String] = []) throws -> ChildResult {
    try greenlight(
      ["run", "--python", Paths.venv] + options + [Self.stalls] + cases,
      workingDirectory: Paths.root)
  }

  @Test("a green thread blocked in C: GL501 names it, then the stall's duration")
  func stallInC() throws {
    let result = try run(["stall-in-c"])
    #expect(result.status == 0)
    #expect(result.stdoutText == "done stall-in-c\n")
    let text = result.stderrText
    #expect(
      text.contains(
        "greenlight: error GL501 hub-blocked: the eventlet hub made no progress for"), "\(text)")
    #expect(text.contains("blocking_sleep_in_c waits in a call that does not yield"), "\(text)")
    #expect(text.contains("  blocking_sleep_in_c at Examples/watch/stalls.py:30"), "\(text)")
    #expect(text.contains("greenlight: GL501 hub-blocked: the hub ran again after"), "\(text)")
    #expect(
      text.hasSuffix("greenlight: run-time findings: GL501 ×1 (longest \(longest(text)) ms).\n"))
    #expect(text.components(separatedBy: "error GL501").count == 2, "one report per stall")
  }

  @Test("a green thread spinning in Python: GL501 names it")
  func stallInPython() throws {
    let result = try run(["stall-in-python"])
    #expect(result.status == 0)
    #expect(result.stderrText.contains("spinning_in_python runs Python code without yielding"))
    #expect(result.stderrText.contains("  spinning_in_python at Examples/watch/stalls.py:"))
  }

  @Test(
    "os.system and a native Popen (forked or posix_spawn) from a green thread are GL202, with the caller's line"
  )
  func processCalls() throws {
    let result = try run(["os-system", "native-popen", "native-spawn"])
    #expect(result.status == 0)
    let text = result.stderrText
    #expect(text.contains("error GL202 blocking-process-call: os.system was called"), "\(text)")
    #expect(text.contains("  os.system at Examples/watch/stalls.py:44"), "\(text)")
    #expect(
      text.components(separatedBy: "a native subprocess.Popen was started from a green thread")
        .count == 3, "\(text)")
    #expect(text.contains("  subprocess.Popen at Examples/watch/stalls.py:48"), "\(text)")
    #expect(text.contains("  subprocess.Popen at Examples/watch/stalls.py:52"), "\(text)")
    #expect(text.contains("run-time findings: GL202 ×3"), "\(text)")
  }

  @Test(
    "after hand-off a service runs without an audit hook, as under python, patched first or patching itself"
  )
  func noAuditHook() throws {
    let folder = "Tests/EndToEndTests/Fixtures/watch/"
    for (mode, probe) in [
      ("first", "audit_probe.py"), ("auto", "audit_probe.py"),
      ("target", "audit_probe_patched.py"), ("auto", "audit_probe_patched.py"),
    ] {
      let plain = try python([folder + probe], workingDirectory: Paths.root)
      #expect(plain.stdoutText == "no audit hook\n", "\(plain.stderrText)")
      let result = try greenlight(
        ["run", "--python", Paths.venv, "--patch", mode, folder + probe],
        workingDirectory: Paths.root)
      #expect(result.status == 0, "\(mode) \(probe): \(result.stderrText)")
      #expect(result.stdoutText == plain.stdoutText, "\(mode) \(probe): \(result.stderrText)")
    }
  }

  @Test("an OS thread after hand-off is GL502 with its start site; tpool workers are not")
  func threads() throws {
    let result = try run(["native-thread", "tpool"])
    #expect(result.status == 0)
    let text = result.stderrText
    #expect(text.contains("warning GL502 native-thread-started"), "\(text)")
    #expect(text.contains("  start_native_thread at Examples/watch/stalls.py:57"), "\(text)")
    #expect(text.components(separatedBy: "GL502 native-thread-started").count == 2, "\(text)")
  }

  @Test("tpool and --watch off stay quiet")
  func quiet() throws {
    let tpool = try run(["tpool"])
    #expect(tpool.status == 0)
    #expect(tpool.stderrText == "")
    let off = try run(["stall-in-c", "os-system", "native-thread"], options: ["--watch", "off"])
    #expect(off.status == 0)
    #expect(off.stdoutText == "done stall-in-c\ndone os-system\ndone native-thread\n")
    #expect(off.stderrText == "")
  }

  @Test("the clean example service under load: no run-time finding")
  func cleanService() throws {
    let result = try greenlight(
      ["run", "--python", Paths.venv, "Examples/hello_service.py", "--demo"],
      workingDirectory: Paths.root)
    #expect(result.status == 0, "\(result.stderrText)")
    #expect(!result.stderrText.contains("greenlight:"), "\(result.stderrText)")
  }

  @Test("a stuck service does not flood its log: five stall reports a minute, the rest counted")
  func rateLimit() throws {
    let result = try run(Array(repeating: "stall-in-c", count: 7))
    #expect(result.status == 0)
    let text = result.stderrText
    #expect(text.components(separatedBy: "error GL501").count == 6, "\(text)")
    #expect(text.contains("GL501 ×7"), "\(text)")
    #expect(text.contains("; 2 stall reports not shown."), "\(text)")
  }

  @Test("--report-file: JSON lines, the start-up report first and the summary last")
  func jsonLines() throws {
    let folder = try Paths.temporaryFolder()
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let file = folder + "/watch.jsonl"
    let result = try run(
      ["os-system", "stall-in-c"], options: ["--format", "json", "--report-file", file])
    #expect(result.status == 0)
    #expect(result.stderrText == "")
    let lines = try String(contentsOfFile: file, encoding: .utf8).split(separator: "\n")
    let objects = try lines.map {
      try #require(
        try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any], "\($0)")
    }
    #expect(objects.count == 5, "\(lines)")
    #expect(objects.first?["findings"] != nil)
    #expect(objects.dropFirst().first?["rule"] as? String == "GL202")
    #expect(objects.dropFirst(2).first?["rule"] as? String == "GL501")
    #expect(objects.dropFirst(3).first?["event"] as? String == "stall-end")
    let summary = try #require(objects.last?["summary"] as? [String: Int])
    #expect(summary == ["GL202": 1, "GL501": 1])
  }

  @Test("greenlight test: a stall inside a test joins the run's report")
  func testRun() throws {
    let folder = try Paths.temporaryFolder()
    defer { try? FileManager.default.removeItem(atPath: folder) }
    try """
    import eventlet, eventlet.patcher
    def blocker():
        eventlet.patcher.original("time").sleep(0.4)
    def test_stall():
        ticker = eventlet.spawn(lambda: [eventlet.sleep(0.01) for _ in range(60)])
        eventlet.spawn(blocker).wait()
        ticker.wait()
    """.write(toFile: folder + "/test_stall.py", atomically: true, encoding: .utf8)
    let result = try greenlight(
      ["test", "--python", Paths.venv, "--", "-m", "pytest", "-q", "-p", "no:cacheprovider"],
      workingDirectory: folder)
    #expect(result.status == 0, "\(result.stdoutText)")
    #expect(result.stderrText.contains("error GL501 hub-blocked"), "\(result.stderrText)")
    #expect(result.stderrText.contains("  blocker at test_stall.py:3 (1 process)"))

    let off = try greenlight(
      [
        "test", "--python", Paths.venv, "--watch", "off", "--", "-m", "pytest", "-q", "-p",
        "no:cacheprovider",
      ],
      workingDirectory: folder)
    #expect(off.status == 0)
    #expect(off.stderrText.contains("greenlight: no findings"), "\(off.stderrText)")
  }

  @Test("greenlight test: a stall with only the harness's frames is info, not an error")
  func harnessStall() throws {
    let folder = try Paths.temporaryFolder()
    defer { try? FileManager.default.removeItem(atPath: folder) }
    // A pytest plugin installed as a harness package (testresources, by its path under a
    // site-packages folder) blocks the hub at the end of the session: no frame of the code
    // under test is on the stack.
    let plugin = folder + "/site-packages/testresources"
    try FileManager.default.createDirectory(atPath: plugin, withIntermediateDirectories: true)
    try "".write(toFile: plugin + "/__init__.py", atomically: true, encoding: .utf8)
    try """
    import eventlet, eventlet.patcher
    def pytest_sessionfinish(session):
        ticker = eventlet.spawn(lambda: [eventlet.sleep(0.01) for _ in range(60)])
        eventlet.patcher.original("time").sleep(0.4)
        ticker.wait()
    """.write(toFile: plugin + "/block.py", atomically: true, encoding: .utf8)
    try "def test_nothing():\n    pass\n".write(
      toFile: folder + "/test_nothing.py", atomically: true, encoding: .utf8)
    let result = try greenlight(
      [
        "test", "--python", Paths.venv, "--strict", "--", "-m", "pytest", "-q", "-p",
        "no:cacheprovider", "-p", "testresources.block",
      ],
      workingDirectory: folder, environment: ["PYTHONPATH": folder + "/site-packages"])
    #expect(result.status == 0, "\(result.stdoutText)\(result.stderrText)")
    #expect(result.stderrText.contains("info GL501 hub-blocked"), "\(result.stderrText)")
    #expect(result.stderrText.contains("every frame is the test harness's"))
    #expect(!result.stderrText.contains("error GL501"))
  }

  @Test("--patch target: the watch starts when the service's own monkey_patch returns")
  func targetMode() throws {
    let folder = try Paths.temporaryFolder()
    defer { try? FileManager.default.removeItem(atPath: folder) }
    try """
    import eventlet
    eventlet.monkey_patch()
    import eventlet.patcher
    def late_blocker():
        eventlet.patcher.original("time").sleep(0.4)
    ticker = eventlet.spawn(lambda: [eventlet.sleep(0.01) for _ in range(60)])
    eventlet.spawn(late_blocker).wait()
    ticker.wait()
    print("ok")
    """.write(toFile: folder + "/selfpatch.py", atomically: true, encoding: .utf8)
    let result = try greenlight(
      ["run", "--python", Paths.venv, "--patch", "target", "selfpatch.py"],
      workingDirectory: folder)
    #expect(result.status == 0)
    #expect(result.stdoutText == "ok\n")
    #expect(result.stderrText.contains("late_blocker waits in a call that does not yield"))
    #expect(!result.stderrText.contains("GL502"), "the watch's own thread: \(result.stderrText)")
  }

  /// The number in "the hub ran again after N ms".
  private func longest(_ text: String) -> String {
    guard let range = text.range(of: "the hub ran again after ") else { return "?" }
    return String(text[range.upperBound...].prefix { $0.isNumber })
  }
}
