import Foundation
import Testing

/// `--patch target`: greenlight completes a service's own full patch the moment its first
/// `eventlet.monkey_patch` returns (green subprocess, functools.RLock, the devices), in
/// `run`, `check`, the python front end and `greenlight test`.
@Suite("target mode completes the service's patch")
struct TargetCompletionTests {
  private static let fixture = Paths.fixture("selfpatch_complete.py")
  private static let patience = ["CHILD_PATIENCE": "2"]

  /// What the fixture prints when everything its patch needs is complete.
  private func expectComplete(_ result: ChildResult) {
    #expect(result.status == 0, "\(result.stdoutText)\(result.stderrText)")
    for name in ["check_output", "getoutput", "getstatusoutput"] {
      #expect(
        result.stdoutText.contains(
          name + String(repeating: " ", count: 17 - name.count)
            + "cooperative"), "\(name): \(result.stdoutText)")
    }
    #expect(result.stdoutText.contains("cached_property lock: threading."))
    #expect(result.stdoutText.contains("CalledProcessError caught by its public class, status 1"))
  }

  @Test("the fixture fails under the venv's python: eventlet's own patch is incomplete")
  func plainPythonFails() throws {
    let result = try python(["-W", "ignore", Self.fixture], environment: Self.patience)
    #expect(result.status == 1, "\(result.stdoutText)")
    #expect(result.stdoutText.contains("check_output     BLOCKED the hub"))
    #expect(result.stdoutText.contains("cached_property lock: _thread.RLock"))
  }

  @Test("run --patch target: every subprocess entry point, the RLock and the error class")
  func run() throws {
    let result = try greenlight(
      ["run", "--python", Paths.venv, "--patch", "target", "-v", Self.fixture],
      environment: Self.patience)
    expectComplete(result)
    #expect(
      result.stderrText.contains(
        "greenlight: subprocess Popen, call, check_call, check_output, run, getoutput,"
          + " getstatusoutput are green"), "\(result.stderrText)")
    #expect(result.stderrText.contains("greenlight: functools  cached_property locks are green"))
  }

  @Test("the python front end and greenlight test complete it too")
  func frontEndAndTest() throws {
    let front = try greenlight(
      ["python", Self.fixture],
      environment: Self.patience.merging(
        ["GREENLIGHT_PYTHON": Paths.venv, "GREENLIGHT_PATCH": "target"]) { $1 })
    expectComplete(front)
    let test = try greenlight(
      ["test", "--python", Paths.venv, "--patch", "target", "--", Self.fixture],
      environment: Self.patience)
    expectComplete(test)
    #expect(!test.stderrText.contains("GL201"), "\(test.stderrText)")
  }

  @Test("check --patch target judges the completed process: no GL201")
  func check() throws {
    let result = try greenlight(
      ["check", "--python", Paths.venv, "--patch", "target", Self.fixture])
    #expect(result.status == 0, "\(result.stderrText)")
    #expect(!result.stderrText.contains("GL201"), "\(result.stderrText)")
    #expect(result.stderrText.hasSuffix("greenlight: no findings\n"))
  }

  @Test("a partial self-patch keeps eventlet's gap: GL201 names it and says how to close it")
  func partialPatch() throws {
    let folder = try Paths.temporaryFolder()
    try "import eventlet\neventlet.monkey_patch(os=False)\n".write(
      toFile: folder + "/partial.py", atomically: true, encoding: .utf8)
    let result = try greenlight(
      ["check", "--python", Paths.venv, "--patch", "target", "partial.py"],
      workingDirectory: folder)
    #expect(result.status == 0, "\(result.stderrText)")
    #expect(result.stderrText.contains("info GL201 native-subprocess: subprocess.check_output"))
    #expect(result.stderrText.contains("fix: Patch os too"), "\(result.stderrText)")
    #expect(!result.stderrText.contains("greenlight run"), "\(result.stderrText)")
  }

  @Test(
    "nova 34's novncproxy patches itself: check has no GL201, run --help exits 0",
    .enabled(if: FileManager.default.fileExists(atPath: SweepTests.sweepVenv + "/bin/python")))
  func nova() throws {
    let entry = ["--python", SweepTests.sweepVenv, "--entry", "nova.cmd.novncproxy:main"]
    let check = try greenlight(["check", "--patch", "target"] + entry, seconds: 300)
    #expect(check.status == 0 || check.status == 1, "\(check.stderrText)")
    #expect(check.stderrText.contains("greenlight: "), "\(check.stderrText)")
    #expect(!check.stderrText.contains("GL201"), "\(check.stderrText)")
    let help = try greenlight(["run", "--patch", "target"] + entry + ["--help"], seconds: 300)
    #expect(help.status == 0, "\(help.stderrText)")
    #expect(help.stdoutText.contains("usage:"), "\(help.stdoutText.prefix(500))")
  }
}
