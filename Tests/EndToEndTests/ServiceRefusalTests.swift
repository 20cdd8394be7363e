import Foundation
import Testing

/// nova 34 (from PyPI, in the sweep's venv) runs nova-compute on native threads by default
/// and refuses an eventlet imported before its own start-up: greenlight says so in one
/// sentence, with its own status, and `--patch target` lets nova decide.
@Suite(
  "a service that refuses greenlight's patch",
  .enabled(
    if: FileManager.default.fileExists(atPath: Paths.root + "/.venv-sweep/bin/python"),
    "make test makes .venv-sweep (nova 34 from PyPI)"))
struct ServiceRefusalTests {
  static let venv = Paths.root + "/.venv-sweep"
  static let sentence =
    "greenlight: error: nova chose native threads (OS_NOVA_DISABLE_EVENTLET_PATCHING unset:"
    + " nova 34 runs compute, conductor, scheduler and api natively by default) and refuses the"
    + " eventlet that greenlight imported to patch first; start it with --patch auto, the"
    + " default (nova then decides, and greenlight patches nothing first), or --patch target or"
    + " none.\n"

  private func greenlightNova(_ arguments: [String]) throws -> ChildResult {
    let scratch = try Paths.temporaryFolder()
    return try greenlight(
      arguments, workingDirectory: scratch, removing: ["OS_NOVA_DISABLE_EVENTLET_PATCHING"],
      seconds: 180)
  }

  @Test("run in --patch first: nova's traceback, then one sentence and 78")
  func runFirst() throws {
    let result = try greenlightNova([
      "run", "--python", Self.venv, "--patch", "first", "--entry", "nova.cmd.compute:main",
      "--help",
    ])
    #expect(result.termination == .exited(78), "\(result.stderrText)")
    #expect(result.stderrText.contains("eventlet library imported early"))
    #expect(result.stderrText.hasSuffix(Self.sentence), "\(result.stderrText)")
  }

  @Test("check says the same, after the report's import failure")
  func check() throws {
    let result = try greenlightNova([
      "check", "--python", Self.venv, "--patch", "first", "--entry", "nova.cmd.compute:main",
    ])
    #expect(result.termination == .exited(78), "\(result.stderrText)")
    #expect(result.stderrText.contains(Self.sentence), "\(result.stderrText)")
    #expect(result.stderrText.contains("error the target's import failed at"))
  }

  @Test("--patch target lets nova choose: its --help, exit 0")
  func target() throws {
    let result = try greenlightNova([
      "run", "--python", Self.venv, "--patch", "target", "--entry", "nova.cmd.compute:main",
      "--help",
    ])
    #expect(result.termination == .exited(0), "\(result.stderrText)")
    #expect(result.stdoutText.contains("usage:"), "\(result.stdoutText)")
    #expect(!result.stderrText.contains("greenlight: error"))
  }
}
