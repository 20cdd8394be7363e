import Foundation
import Testing

/// Services that fight greenlight's own machinery: finalizers that re-enter the audit hook,
/// objects whose `__repr__` or metaclass raise, namespaces too large to walk. greenlight
/// must behave as python does with them, and its scans must not run the service's code.
@Suite("hostile services")
struct HostileServiceTests {
  private static let folder = Paths.fixture("hostile")

  private func run(_ arguments: [String], seconds: Double = 120) throws -> ChildResult {
    try greenlight(arguments, workingDirectory: Self.folder, seconds: seconds)
  }

  @Test(
    "a finalizer that re-enters the audit hook while it records: the service ends as in python",
    arguments: [
      ["check", "--python", Paths.venv],
      ["run", "--python", Paths.venv, "--patch", "target"],
      ["run", "--python", Paths.venv, "--patch", "first"],
    ])
  func reentrantHook(_ command: [String]) throws {
    let reference = try python(["observe_reentry.py"], workingDirectory: Self.folder)
    #expect(reference.status == 0)
    let result = try run(command + ["observe_reentry.py"])
    #expect(result.termination == .exited(0), "\(result.stderrText.suffix(2000))")
    #expect(result.stdoutText == reference.stdoutText)
  }
}
