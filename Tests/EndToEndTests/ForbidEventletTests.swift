import Foundation
import Testing

/// `--forbid-eventlet` (and `GREENLIGHT_FORBID_EVENTLET=1`): every import of eventlet is
/// refused with an ImportError naming greenlight; a caught refusal is info at its importer,
/// an uncaught one a GL601 error at its line. Native mode judges a hub, not an import.
@Suite(
  "forbidding eventlet",
  .enabled(
    if: FileManager.default.fileExists(atPath: Paths.root + "/.venv-sweep/bin/python"),
    "make test makes .venv-sweep (futurist from PyPI)"))
struct ForbidEventletTests {
  static let sweep = Paths.root + "/.venv-sweep"
  static let folder = Paths.fixture("forbid")
  static let quiet = ["PYTHONWARNINGS": "ignore"]

  private func findings(_ result: ChildResult) throws -> [[String: Any]] {
    let report = try JSONSerialization.jsonObject(with: Data(result.stdout)) as? [String: Any]
    return try #require(report?["findings"] as? [[String: Any]], "\(result.stderrText)")
  }

  @Test("check of futurist: the refused import it catches is info at futurist's line; exit 0")
  func caught() throws {
    let result = try greenlight(
      ["check", "--forbid-eventlet", "--python", Self.sweep, "--format", "json", "-m", "futurist"],
      workingDirectory: Self.folder, environment: Self.quiet)
    #expect(result.status == 0, "\(result.stderrText)")
    let refused = try findings(result).filter { $0["rule"] as? String == "GL601" }
    #expect(!refused.isEmpty && refused.allSatisfy { $0["severity"] as? String == "info" })
    let files = refused.compactMap { ($0["location"] as? [String: Any])?["file"] as? String }
    #expect(files.contains { $0.hasSuffix("futurist/_utils.py") }, "\(refused)")
  }

  @Test("run of a service that uses futurist: it runs, and says nothing")
  func caughtAtRun() throws {
    let result = try greenlight(
      ["run", "--forbid-eventlet", "--python", Self.sweep, "uses_futurist.py"],
      workingDirectory: Self.folder, environment: Self.quiet)
    #expect(result.status == 0, "\(result.stderrText)")
    #expect(result.stdoutText.contains("sum 6"), "\(result.stdoutText)")
    #expect(!result.stderrText.contains("GL601"), "\(result.stderrText)")
  }

  @Test("run of a service whose import is uncaught: its traceback, then GL601 there; exit 1")
  func uncaught() throws {
    let result = try greenlight(
      ["run", "--forbid-eventlet", "--python", Paths.venv, "needs_eventlet.py"],
      workingDirectory: Self.folder, environment: Self.quiet)
    #expect(result.status == 1, "\(result.stderrText)")
    let text = result.stderrText
    #expect(text.contains("Traceback (most recent call last):"), "\(text)")
    #expect(text.contains("ImportError: greenlight forbade importing eventlet"), "\(text)")
    #expect(text.contains("error GL601 eventlet-in-native-mode: import eventlet was refused"))
    #expect(text.contains("eventlet at needs_eventlet.py:4"), "\(text)")
    #expect(!result.stdoutText.contains("unreached"))
  }

  @Test("the environment variable does the same, through the python front end")
  func frontEnd() throws {
    let result = try greenlight(
      ["python", "needs_eventlet.py"], workingDirectory: Self.folder,
      environment: Self.quiet.merging(
        ["GREENLIGHT_FORBID_EVENTLET": "1", "GREENLIGHT_PYTHON": Paths.venv]) { $1 })
    #expect(result.status == 1, "\(result.stderrText)")
    #expect(result.stderrText.contains("ImportError: greenlight forbade importing eventlet"))
    #expect(result.stderrText.contains("eventlet at needs_eventlet.py:4"), "\(result.stderrText)")
  }

  @Test("greenlight test --forbid-eventlet: the runner's children refuse eventlet")
  func testChildren() throws {
    let result = try greenlight(
      [
        "test", "--forbid-eventlet", "--python", Paths.venv, "--", "-m", "unittest", "discover",
        "-s", "suite",
      ], workingDirectory: Self.folder, environment: Self.quiet)
    #expect(result.status == 1, "\(result.stderrText)")
    let text = result.stderrText
    #expect(text.contains("ImportError: greenlight forbade importing eventlet"), "\(text)")
    #expect(!text.contains("eventlet was imported"), "\(text)")
    #expect(text.contains("(--patch none)"), "\(text)")
  }

  @Test("check --patch none of futurist: eventlet imported, no hub: info, not an error")
  func nativeImportOnly() throws {
    let result = try greenlight(
      ["check", "--patch", "none", "--python", Self.sweep, "--format", "json", "-m", "futurist"],
      workingDirectory: Self.folder, environment: Self.quiet)
    #expect(result.status == 0, "\(result.stderrText)")
    let gl601 = try findings(result).filter { $0["rule"] as? String == "GL601" }
    #expect(gl601.count == 1 && gl601.first?["severity"] as? String == "info", "\(gl601)")
  }

  @Test("run --patch none of a service that starts a hub: GL601 error at exit")
  func nativeHubAtRun() throws {
    let result = try greenlight(
      ["run", "--no-patch", "--python", Paths.venv, Paths.examples + "/hazards/GL601/bad.py"],
      workingDirectory: Self.folder, environment: Self.quiet)
    #expect(result.status == 0, "\(result.stderrText)")
    let text = result.stderrText
    #expect(text.contains("error GL601 eventlet-in-native-mode: An eventlet hub"), "\(text)")
    // At the call that started the hub: the pool's map in check_all, not eventlet's import.
    #expect(text.contains("was started by check_all although nothing patched"), "\(text)")
    #expect(text.contains("hazards/GL601/bad.py:28"), "\(text)")
    #expect(!text.contains("hazards/GL601/bad.py:16"), "\(text)")
  }
}
