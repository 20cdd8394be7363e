import Foundation
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// The watchdog thread itself (`gl-watch`): it never runs the service's Python code, never
/// holds the process at exit, and tells a debugger from a mere tracer. Fixtures in
/// Fixtures/watch/.
@Suite("run-time watchdog")
struct WatchdogTests {
  private func run(_ fixture: String, _ arguments: [String] = []) throws -> ChildResult {
    try greenlight(
      ["run", "--python", Paths.venv, Paths.fixture("watch/" + fixture)] + arguments,
      workingDirectory: Paths.root, seconds: 60)
  }

  @Test(
    "a finalizer or an audit hook of the service never runs on the watchdog; the stall is GL501",
    arguments: ["finalizer", "audit"])
  func serviceCodeStaysOnItsThreads(_ armed: String) throws {
    let plain = try python([Paths.fixture("watch/watchdog_isolation.py"), armed], seconds: 60)
    #expect(plain.termination == .exited(0), "\(plain.stderrText)")
    let result = try run("watchdog_isolation.py", [armed])
    #expect(result.termination != .signalled(SIGKILL), "hung: \(result.stderrText)")
    #expect(result.termination == plain.termination, "\(result.stderrText)")
    #expect(result.stdoutText == "foreign: []\n")
    #expect(
      result.stderrText.contains("error GL501 hub-blocked: the eventlet hub made no progress"),
      "\(result.stderrText)")
    #expect(result.stderrText.contains("blocker waits in a call that does not yield"))
  }

  @Test("a report stuck in a write to a full stderr pipe holds neither the service nor its exit")
  func fullStandardError() throws {
    let result = try run("full_stderr.py")
    #expect(result.termination != .signalled(SIGKILL), "hung: \(result.stderrText)")
    #expect(result.termination == .exited(0), "\(result.stderrText)")
    #expect(result.stdoutText == "done\n")
    #expect(result.stderrText.hasSuffix("greenlight: run-time findings: GL501 ×1.\n"))
  }

  @Test(
    "a tracer that is not a debugger (coverage's kind) does not hide a stall",
    arguments: ["settrace", "setprofile"])
  func stallUnderTracer(_ tracer: String) throws {
    let result = try run("tracer_stall.py", [tracer])
    #expect(result.termination == .exited(0), "\(result.stderrText)")
    #expect(result.stdoutText == "done \(tracer)\n")
    #expect(
      result.stderrText.contains("blocked_under_tracer waits in a call that does not yield"),
      "\(result.stderrText)")
    #expect(result.stderrText.components(separatedBy: "error GL501").count == 2)
  }
}
