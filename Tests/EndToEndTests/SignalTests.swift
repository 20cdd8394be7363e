import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// Signals after hand-off behave as with python: Python handlers run, SIGINT without a
/// handler is KeyboardInterrupt and death by SIGINT, SIGQUIT and a segfault kill the process
/// by that signal with no Swift crash report.
@Suite("signals")
struct SignalTests {
  enum Runner: String, CaseIterable, Sendable {
    case python, greenlightFirst, greenlightNone

    func start(_ arguments: [String]) throws -> ChildProcess {
      let bytes = arguments.map { Array($0.utf8) }
      switch self {
      case .python:
        return try ChildProcess(Paths.venvPython, bytes, removing: ["VIRTUAL_ENV"])
      case .greenlightFirst, .greenlightNone:
        let mode = self == .greenlightFirst ? "first" : "none"
        return try ChildProcess(
          Paths.greenlight,
          ["run", "--python", Paths.venv, "--patch", mode].map { Array($0.utf8) } + bytes,
          removing: ["VIRTUAL_ENV"])
      }
    }
  }

  @Test("a Python SIGTERM handler runs and its exit status wins", arguments: Runner.allCases)
  func sigterm(_ runner: Runner) throws {
    let child = try runner.start([Paths.fixture("signals.py"), "term"])
    #expect(child.waitForOutput("ready"))
    child.send(SIGTERM)
    let result = child.wait()
    #expect(result.termination == .exited(7))
    #expect(result.stdoutText == "ready\nhandler got signal 15\n")
  }

  @Test(
    "SIGINT without a handler: KeyboardInterrupt, then death by SIGINT", arguments: Runner.allCases)
  func sigint(_ runner: Runner) throws {
    let child = try runner.start([Paths.fixture("signals.py"), "int"])
    #expect(child.waitForOutput("ready"))
    child.send(SIGINT)
    let result = child.wait()
    #expect(result.termination == .signalled(SIGINT))
    #expect(result.stderrText.hasSuffix("KeyboardInterrupt\n"), "\(result.stderrText)")
  }

  @Test(
    "SIGQUIT and a segfault kill by the signal, with no Swift crash report",
    arguments: Runner.allCases, [("segfault", SIGSEGV), ("quit", SIGQUIT)])
  func fatal(_ runner: Runner, _ crash: (String, Int32)) throws {
    let result = try runner.start([Paths.fixture("crash.py"), crash.0]).wait()
    #expect(result.termination == .signalled(crash.1))
    #expect(result.stdoutText == "crashing with \(crash.0)\n")
    #expect(result.stderrText.isEmpty, "\(result.stderrText)")
  }
}
