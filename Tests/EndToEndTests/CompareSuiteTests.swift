import Foundation
import Testing

/// oslo.concurrency 7.6.1's sdist, unpacked by make test.
private let osloConcurrencySdist = Paths.root + "/.build/sdists/oslo_concurrency-7.6.1"

/// `greenlight test --compare` on real suites: oslo.concurrency 7.6.1's own tests from its
/// sdist (`make test` unpacks it under .build/sdists; requirements-sdists.txt), run as tox
/// runs them but without TEST_EVENTLET, and oslo.service 4.8.0's from the suites' venv.
@Suite(
  "--compare on real suites", .serialized,
  .enabled(
    if: FileManager.default.fileExists(atPath: osloConcurrencySdist + "/.unpacked")
      && FileManager.default.fileExists(atPath: SuiteTests.venv + "/bin/python"),
    "make test unpacks oslo.concurrency's sdist and makes .venv-suites"))
struct CompareSuiteTests {
  static let osloConcurrency = osloConcurrencySdist
  static let eventletTests = "oslo_concurrency.tests.unit.test_lockutils_eventlet."
  /// The lock tests that take a lock from green threads (eventlet.spawn, spawn_n): with
  /// native threads and eventlet unpatched they break mutual exclusion or deadlock.
  static let spawnTests = [
    "TestInternalLock.test_fair_lock_with_spawn", "TestInternalLock.test_fair_lock_with_spawn_n",
    "TestInternalLock.test_lock_with_spawn", "TestInternalLock.test_lock_with_spawn_n",
  ].map { eventletTests + $0 }

  @Test(
    "oslo.concurrency: all pass under eventlet; natively only its eventlet tests fail or hang",
    .timeLimit(.minutes(12)))
  func osloConcurrency() throws {
    let folder = try Paths.temporaryFolder()
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let suite = folder + "/oslo.concurrency"
    try FileManager.default.copyItem(atPath: Self.osloConcurrency, toPath: suite)
    let reportFile = folder + "/compare.json"
    let result = try greenlight(
      [
        "test", "--python", SuiteTests.venv, "--compare", "--compare-timeout", "120",
        "--report-file", reportFile, "--", "-m", "stestr", "run",
      ], workingDirectory: suite, removing: ["TEST_EVENTLET"], seconds: 660)
    #expect(result.status == 1, "\(result.stderrText)")
    let data = try Data(contentsOf: URL(fileURLWithPath: reportFile))
    try expectValid(Array(data), as: "compare")
    let report = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])

    // Forbidden, eventlet's import by test_lockutils_eventlet ends stestr's discovery; the
    // native mode runs again with eventlet importable.
    let modes = try #require(report["modes"] as? [[String: Any]])
    #expect(modes.map { $0["forbidEventlet"] as? Bool } == [false, true, false], "\(modes)")
    let refusals = ((modes[1]["report"] as? [String: Any])?["findings"] as? [[String: Any]] ?? [])
      .filter { $0["rule"] as? String == "GL601" }
    #expect(
      refusals.contains {
        ($0["location"] as? [String: Any])?["file"] as? String
          == "oslo_concurrency/tests/unit/test_lockutils_eventlet.py"
      }, "\(refusals)")
    #expect(
      result.stderrText.contains(
        "greenlight: --compare: no test ran with eventlet forbidden (its import was refused at"
          + " oslo_concurrency/tests/unit/test_lockutils_eventlet.py:19)."), "\(result.stderrText)")

    let tests = try #require(report["tests"] as? [[String: Any]])
    func outcome(_ id: String, _ mode: String) -> String? {
      tests.first { $0["id"] as? String == id }?[mode] as? String
    }
    #expect(tests.count == 117, "\(tests.count)")
    #expect(tests.allSatisfy { $0["eventlet"] as? String == "pass" }, "\(tests)")
    // Natively, each spawn test breaks mutual exclusion, deadlocks, or was not reached
    // because its worker deadlocked first; at least one deadlocks.
    for id in Self.spawnTests {
      #expect(["fail", "hang", "missing"].contains(outcome(id, "native")), "\(id)")
    }
    #expect(Self.spawnTests.contains { outcome($0, "native") == "hang" }, "\(tests)")
    for test in tests where test["native"] as? String == "fail" {
      #expect(
        (test["nativeDetail"] as? String)?.hasSuffix("Two threads was able to take the same lock")
          == true, "\(test)")
    }
    // --compare names exactly these: no other test fails, errs or hangs natively.
    let broken = tests.filter { ["fail", "error", "hang"].contains($0["native"] as? String) }
      .compactMap { $0["id"] as? String }
    #expect(broken.allSatisfy { Self.spawnTests.contains($0) }, "\(broken)")
    // The stacks show the deadlock: a worker waiting for the lock in the test's green thread.
    let native = modes[2]
    #expect(native["timedOut"] as? Bool == true, "\(native)")
    let stacks = native["stacks"] as? String ?? ""
    #expect(
      stacks.contains("/oslo_concurrency/lockutils.py\", line 397 in lock")
        && stacks.contains("/oslo_concurrency/tests/unit/test_lockutils_eventlet.py\", line"),
      "\(stacks)")
  }
}

extension CompareSuiteTests {
  @Test(
    "oslo.service: its tests' package patches, so natively they still run on eventlet",
    .timeLimit(.minutes(8)))
  func osloService() throws {
    let folder = try SuiteTests.stestrFolder(testing: "oslo_service/tests")
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let reportFile = folder + "/compare.json"
    let result = try greenlight(
      [
        "test", "--python", SuiteTests.venv, "--compare", "--report-file", reportFile, "--", "-m",
        "stestr", "run",
      ], workingDirectory: folder, seconds: 480)
    let text = result.stderrText
    let data = try Data(contentsOf: URL(fileURLWithPath: reportFile))
    try expectValid(Array(data), as: "compare")
    let report = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    let counts = try #require(report["counts"] as? [String: Any])
    // Whatever a loaded machine does to its timing-sensitive tests, both runs are eventlet's.
    if counts["differ"] as? Int == 0 {
      #expect(result.status == 0, "\(text)")
      #expect(text.contains("greenlight: --compare: all "), "\(text)")
    }
    #expect(
      text.contains(
        "no test ran with eventlet forbidden (its import was refused at"
          + " \(SuiteTests.sitePackages)/oslo_service/tests/__init__.py:18)."), "\(text)")
    // stestr's own account of the failed discovery reaches stdout, beside its stream.
    #expect(
      result.stdoutText.contains("Failed to import test module: oslo_service.tests"),
      "\(result.stdoutText)")
    #expect(
      text.contains("/oslo_service/tests/__init__.py:30: The service patched itself"), "\(text)")
    #expect(
      text.contains("greenlight: its processes did not all run on native threads: "), "\(text)")
    let modes = try #require(report["modes"] as? [[String: Any]])
    let process = (modes.last?["report"] as? [String: Any])?["process"] as? [String: Any]
    #expect(process?["patched_by"] as? String == "service", "\(String(describing: process))")
  }
}
