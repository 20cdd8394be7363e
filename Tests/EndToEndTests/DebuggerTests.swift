import Foundation
import Testing

/// The debuggers of `greenlight debug`: pdb at a terminal (driven through a pseudo-terminal
/// by `Fixtures/pty_driver.py`) and debugpy over the Debug Adapter Protocol.
@Suite("debuggers")
struct DebuggerTests {
  @Test("breakpoint() in a green thread: where, p, step, next, continue; the others stay parked")
  func pdbInGreenThread() throws {
    let steps = [
      "where", "p value", "p len(ticks)", "step", "next", "next", "p doubled", "p len(ticks)",
      "continue",
    ].map { ["(Pdb) ", $0] }
    let json = String(decoding: try JSONEncoder().encode(steps), as: UTF8.self)
    let result = try python([
      Paths.fixture("pty_driver.py"), json, Paths.greenlight, "debug", "--python", Paths.venv,
      Paths.fixture("debug_breakpoint.py"),
    ])
    let transcript = result.stdoutText.replacing("\r\n", with: "\n")
    #expect(result.termination == .exited(0), "\(transcript)")
    let fixture = "debug_breakpoint.py"
    #expect(
      transcript.contains("\(fixture)(22)handler()\n-> result = helper(value)\n(Pdb) where\n"))
    #expect(
      transcript.contains("greenthread.py(272)main()"), "where shows the green thread's stack")
    #expect(transcript.contains("(Pdb) p value\n42\n"))
    #expect(transcript.contains("(Pdb) step\n--Call--\n> "))
    #expect(transcript.contains("\(fixture)(15)helper()\n-> doubled = n * 2\n"))
    #expect(transcript.contains("(Pdb) p doubled\n84\n"))
    #expect(transcript.hasSuffix("(Pdb) continue\nresult 84\nhandled 84\n"), "\(transcript)")
    // While pdb holds the prompt, the ticking green thread does not run.
    let counts = transcript.split(separator: "(Pdb) p len(ticks)\n").dropFirst()
      .map { $0.prefix { $0 != "\n" } }
    #expect(counts.count == 2 && counts[0] == counts[1], "\(counts)")
  }
}
