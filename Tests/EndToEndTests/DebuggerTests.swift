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
    // The run-time watch is on, but a debugger tracing the hub's thread is not a stall.
    #expect(!transcript.contains("GL501"), "\(transcript)")
  }

  static let hasDebugpy = FileManager.default.fileExists(
    atPath: Paths.venv + "/lib/python3.11/site-packages/debugpy/__init__.py")

  @Test(
    "debugpy: a breakpoint in a green thread is hit, the others are parked and listed as threads",
    .enabled(if: hasDebugpy, "debugpy is not installed in .venv (requirements-examples.txt)"))
  func debugpyBreakpoint() throws {
    let port = try freePort()
    let fixture = Paths.fixture("debugpy_service.py")
    let service = try ChildProcess(
      Paths.greenlight,
      [
        "debug", "--python", Paths.venv, "--debugger", "debugpy", "--listen",
        "127.0.0.1:\(port)", "--wait", fixture,
      ].map { Array($0.utf8) }, removing: ["VIRTUAL_ENV"])
    let client = try python([Paths.fixture("dap_client.py"), String(port), fixture, "16"])
    let result = service.wait(seconds: 60)
    #expect(client.termination == .exited(0), "\(client.stdoutText)\(client.stderrText)")
    #expect(
      client.stdoutText == """
        breakpoint verified: True
        stopped: breakpoint
        top frame: handler line 16
        frames: handler < main
        after next: step, handler line 17
        value = 42
        ticks while stopped: unchanged
        stopped thread: MainThread
        threads: ['GreenThread: ticker - debugpy_service.py', 'MainThread', \
        'greenlet: <module> - debugpy_service.py', 'greenlet: run - hub.py']
        continued

        """)
    #expect(result.termination == .exited(0), "\(result.stderrText)")
    #expect(result.stdoutText == "handled 84\n")
    #expect(result.stderrText.isEmpty, "\(result.stderrText)")
  }

  @Test(
    "the dump names native threads of private threading copies: debugpy's and tpool's",
    .enabled(if: hasDebugpy, "debugpy is not installed in .venv (requirements-examples.txt)"))
  func dumpNamesNativeThreads() throws {
    let code = """
      import os, signal, eventlet, eventlet.tpool
      eventlet.tpool.execute(len, [])
      os.kill(os.getpid(), signal.SIGUSR2)
      eventlet.sleep(0.01)
      """
    let result = try greenlight([
      "debug", "--python", Paths.venv, "--debugger", "debugpy", "--listen",
      "127.0.0.1:\(try freePort())", "-c", code,
    ])
    #expect(result.termination == .exited(0), "\(result.stderrText)")
    #expect(result.stderrText.contains("\nnative thread MainThread (ident 0x"))
    #expect(result.stderrText.contains("\nnative thread tpool_thread_0 (ident 0x"))
    #expect(result.stderrText.contains("\nnative thread pydevd.Reader (ident 0x"))
  }

  @Test("debugpy listens on loopback unless --listen-any, which warns")
  func debugpyListenAny() throws {
    let refused = try greenlight([
      "debug", "--python", Paths.venv, "--debugger", "debugpy", "--listen", "0.0.0.0:5678", "-c",
      "pass",
    ])
    #expect(refused.termination == .exited(64))
    #expect(refused.stderrText.contains("is not a loopback address"), "\(refused.stderrText)")
    #expect(refused.stderrText.split(separator: "\n").count == 1)
    // With --listen-any it warns before anything starts (here the --python path stops it,
    // so that nothing listens).
    let warned = try greenlight([
      "debug", "--python", "/nonexistent/venv", "--debugger", "debugpy", "--listen",
      "0.0.0.0:5678", "--listen-any", "-c", "pass",
    ])
    #expect(warned.stderrText.hasPrefix("greenlight: warning: debugpy listens on 0.0.0.0:5678"))
    #expect(warned.termination == .exited(64))
  }

  @Test("--debugger debugpy without debugpy in the environment is one sentence, exit 69")
  func debugpyMissing() throws {
    let venv = try Paths.temporaryFolder() + "/bare"
    let made = try ChildProcess.run(
      "/usr/bin/python3",
      [["-m", "venv", "--without-pip", venv]].flatMap { $0 }.map { Array($0.utf8) })
    #expect(made.termination == .exited(0), "\(made.stderrText)")
    let result = try greenlight(["debug", "--python", venv, "--debugger", "debugpy", "-c", "pass"])
    #expect(result.termination == .exited(69))
    #expect(result.stderrText.contains("--debugger debugpy needs debugpy"), "\(result.stderrText)")
    #expect(result.stderrText.split(separator: "\n").count == 1)
  }
}
