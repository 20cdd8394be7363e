import Foundation
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// `greenlight test --compare` on suites whose outcomes in each mode are known: a unittest
/// suite (through `python -m subunit.run`) with a test of each outcome, the example pytest
/// suite (through its JUnit XML), and the command line's refusals.
@Suite("greenlight test --compare")
struct CompareTests {
  static let fixture = Paths.fixture("compare")

  /// Each test of Fixtures/compare/test_modes.py: its outcome under eventlet and native.
  static let expected: [(String, String, String)] = [
    ("test_a_passes_in_both", "pass", "pass"),
    ("test_b_needs_eventlet", "pass", "fail"),
    ("test_c_fails_on_native_threads", "pass", "fail"),
    ("test_d_skips_on_native_threads", "pass", "skip"),
    ("test_e_hangs_on_native_threads", "pass", "hang"),
    ("test_f_never_reached_on_native_threads", "pass", "missing"),
  ]

  @Test(
    "unittest through subunit: each outcome in each mode, the hang's stacks, the rest missing",
    .timeLimit(.minutes(5)))
  func unittestOutcomes() throws {
    let folder = try Paths.temporaryFolder()
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let reportFile = folder + "/compare.json"
    let result = try greenlight(
      [
        "test", "--python", Paths.venv, "--compare", "--compare-timeout", "45", "--report-file",
        reportFile, "--", "-m", "unittest", "test_modes",
      ], workingDirectory: Self.fixture, seconds: 240)
    #expect(result.status == 1, "some differ: \(result.stderrText)")
    let data = try Data(contentsOf: URL(fileURLWithPath: reportFile))
    try expectValid(Array(data), as: "compare")
    let report = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    let tests = try #require(report["tests"] as? [[String: Any]])
    #expect(
      tests.map { "\($0["id"] ?? "") \($0["eventlet"] ?? "") \($0["native"] ?? "")" }
        == Self.expected.map { "test_modes.Modes.\($0.0) \($0.1) \($0.2)" }, "\(tests)")
    let refused = try #require(tests.first { ($0["id"] as? String)?.hasSuffix("eventlet") == true })
    #expect(
      (refused["nativeDetail"] as? String)?.hasPrefix(
        "ImportError: greenlight forbade importing eventlet (--forbid-eventlet)") == true,
      "\(refused)")

    let modes = try #require(report["modes"] as? [[String: Any]])
    #expect(modes.map { $0["mode"] as? String } == ["eventlet", "native"], "\(modes)")
    #expect(modes.map { $0["forbidEventlet"] as? Bool } == [false, true], "\(modes)")
    #expect(modes.map { $0["timedOut"] as? Bool } == [false, true], "\(modes)")
    #expect(modes[0]["stacks"] == nil, "\(modes[0])")
    // faulthandler's stack of the runner, stopped in the test that waits.
    let stacks = try #require(modes[1]["stacks"] as? String)
    #expect(stacks.contains("-m subunit.run test_modes\n"), "\(stacks)")
    #expect(
      stacks.contains("/compare/test_modes.py\", line 36 in test_e_hangs_on_native_threads"),
      "\(stacks)")

    // stderr: only the tests that differ, each with its failure's first line, then counts.
    let text = result.stderrText
    #expect(!text.contains("test_a_passes_in_both"), "\(text)")
    #expect(
      text.contains(
        "  pass      fail      test_modes.Modes.test_c_fails_on_native_threads\n"
          + "      native: AssertionError: False is not true : threading is not green here\n"),
      "\(text)")
    #expect(
      text.contains("  pass      hang      test_modes.Modes.test_e_hangs_on_native_threads\n"))
    #expect(text.contains("\ngreenlight: eventlet (--patch first): 6 pass.\n"), "\(text)")
    #expect(
      text.contains(
        "\ngreenlight: native (--forbid-eventlet): 1 pass, 2 fail, 1 skip, 1 hang, 1 missing;"),
      "\(text)")
    #expect(text.contains("greenlight: the stacks of its stuck processes are in \(reportFile)."))
  }

  @Test("pytest through its JUnit XML: the example suite's patched-first tests fail natively")
  func pytestOutcomes() throws {
    let folder = try Paths.temporaryFolder()
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let reportFile = folder + "/compare.sarif"
    let result = try greenlight(
      [
        "test", "--python", Paths.venv, "--compare", "--format", "sarif", "--report-file",
        reportFile, "--", "-m", "pytest", "-p", "no:cacheprovider", "-q",
      ], workingDirectory: Paths.examples + "/suite", seconds: 600)
    #expect(result.status == 1, "\(result.stderrText)")
    // pytest's own output passes through in both modes.
    #expect(result.stdoutText.contains("8 passed"), "\(result.stdoutText)")
    let text = result.stderrText
    #expect(text.contains("\ngreenlight: eventlet (--patch first): 8 pass.\n"), "\(text)")
    // The three that cannot pass on native threads (TestCommandTests.plainPythonFails).
    for test in [
      "tests.test_children.ChildProcessTests.test_multiprocessing_spawn_child_is_patched_first",
      "tests.test_children.ChildProcessTests.test_subprocess_with_sys_executable_is_patched_first",
      "tests.test_green.GreenThreadTests.test_process_is_patched_first",
    ] {
      #expect(text.contains("  pass      fail      \(test)\n"), "\(text)")
    }
    let data = try Data(contentsOf: URL(fileURLWithPath: reportFile))
    try expectValid(Array(data), as: "sarif")
    let log = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    let run = try #require((log["runs"] as? [[String: Any]])?.first)
    let results = try #require(run["results"] as? [[String: Any]])
    let green = try #require(
      results.first {
        ($0["properties"] as? [String: Any])?["test"] as? String
          == "tests.test_green.GreenThreadTests.test_process_is_patched_first"
      }, "\(results)")
    #expect(green["ruleId"] as? String == "outcome-differs")
    let location = try #require((green["locations"] as? [[String: Any]])?.first)
    let artifact = (location["physicalLocation"] as? [String: Any])?["artifactLocation"]
    #expect((artifact as? [String: Any])?["uri"] as? String == "tests/test_green.py", "\(green)")
  }

  @Test(
    "pytest stuck at the timeout: SIGINT, its JUnit XML and its starts read, the stuck test hang",
    .timeLimit(.minutes(5)))
  func pytestTimeout() throws {
    let folder = try Paths.temporaryFolder()
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let reportFile = folder + "/compare.json"
    let result = try greenlight(
      [
        "test", "--python", Paths.venv, "--compare", "--compare-timeout", "45", "--report-file",
        reportFile, "--", "-m", "pytest", "-p", "no:cacheprovider", "test_modes.py",
      ], workingDirectory: Self.fixture, seconds: 240)
    #expect(result.status == 1, "\(result.stderrText)")
    // pytest's own account of the interrupt passes through.
    #expect(result.stdoutText.contains("KeyboardInterrupt"), "\(result.stdoutText)")
    let data = try Data(contentsOf: URL(fileURLWithPath: reportFile))
    try expectValid(Array(data), as: "compare")
    let report = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    let tests = try #require(report["tests"] as? [[String: Any]])
    // JUnit holds no name for the interrupted test; the plugin's record of its start
    // makes it hang, and the one never reached is missing.
    let native = Dictionary(
      uniqueKeysWithValues: tests.map { ($0["id"] as? String ?? "", $0["native"] as? String) })
    #expect(
      native == [
        "test_modes.Modes.test_a_passes_in_both": "pass",
        "test_modes.Modes.test_b_needs_eventlet": "fail",
        "test_modes.Modes.test_c_fails_on_native_threads": "fail",
        "test_modes.Modes.test_d_skips_on_native_threads": "skip",
        "test_modes.Modes.test_e_hangs_on_native_threads": "hang",
        "test_modes.Modes.test_f_never_reached_on_native_threads": "missing",
      ], "\(tests)")
    #expect(
      tests.map { $0["eventlet"] as? String } == Array(repeating: "pass", count: 6), "\(tests)")
    let hang = try #require(
      tests.first { $0["id"] as? String == "test_modes.Modes.test_e_hangs_on_native_threads" })
    #expect(
      hang["nativeDetail"] as? String == "still running when --compare-timeout ran out", "\(hang)")
    // Nothing of the plugin in pytest's text: its header and summary are pytest's own.
    #expect(!result.stdoutText.contains("greenlight_pytest_starts"), "\(result.stdoutText)")
    #expect(
      result.stderrText.contains(
        "  pass      hang      test_modes.Modes.test_e_hangs_on_native_threads\n"),
      "\(result.stderrText)")
    let modes = try #require(report["modes"] as? [[String: Any]])
    #expect(modes.last?["timedOut"] as? Bool == true, "\(modes)")
    let stacks = modes.last?["stacks"] as? String ?? ""
    #expect(
      stacks.contains("/compare/test_modes.py\", line 36 in test_e_hangs_on_native_threads"),
      "\(stacks)")
  }

  @Test("SIGINT stops the comparison: forwarded to the runner, then death by SIGINT")
  func interrupted() throws {
    let child = try ChildProcess(
      Paths.greenlight,
      ["test", "--python", Paths.venv, "--compare", "--", "-m", "unittest", "test_modes"].map {
        Array($0.utf8)
      }, workingDirectory: Self.fixture, removing: ["VIRTUAL_ENV"], mergeOutput: true)
    #expect(child.waitForOutput("greenlight: --compare: the eventlet mode", seconds: 60))
    child.send(SIGINT)
    let result = child.wait(seconds: 120)
    #expect(result.termination == .signalled(SIGINT), "\(result.stdoutText)")
    #expect(!result.stdoutText.contains(" tests differ between "), "\(result.stdoutText)")
  }

  @Test(
    "bad input: one sentence, exit 64",
    arguments: [
      (
        ["--compare", "--", "-m", "nose"],
        "--compare reads outcomes from pytest, stestr run, subunit.run or unittest"
      ),
      (["--compare", "--patch", "none"], "--compare runs both modes itself"),
      (["--compare", "--forbid-eventlet"], "--compare runs both modes itself"),
      (["--compare-timeout", "10"], "--compare-timeout needs --compare."),
      (["--compare", "--compare-timeout", "0"], "--compare-timeout takes seconds from 1 to"),
      (["--compare", "--compare-native", "maybe"], "--compare-native"),
    ])
  func badInput(arguments: [String], message: String) throws {
    let result = try greenlight(["test", "--python", Paths.venv] + arguments)
    #expect(result.status == 64, "\(result.stderrText)")
    #expect(result.stderrText.contains(message), "\(result.stderrText)")
  }
}
