import Testing

/// The Python glue that the binary embeds (`Sources/Greenlight/Python`), checked with the
/// venv's own tools: its unit tests (`Tests/python`) with python, and ruff (`ruff.toml`).
@Suite("python glue")
struct PythonGlueTests {
  @Test("every piece compiles and its pure parts pass their unit tests")
  func unitTests() throws {
    let result = try ChildProcess.run(
      Paths.venvPython,
      ["-m", "unittest", "discover", "-s", "Tests/python"].map { Array($0.utf8) },
      workingDirectory: Paths.root, environment: ["PYTHONDONTWRITEBYTECODE": "1"], seconds: 300)
    #expect(result.status == 0, "\(result.stdoutText)\(result.stderrText)")
    #expect(result.stderrText.contains("\nOK\n"), "\(result.stderrText)")
  }

  @Test("ruff finds nothing in the glue and its tests")
  func ruff() throws {
    let result = try ChildProcess.run(
      Paths.venv + "/bin/ruff", ["check", "--no-cache"].map { Array($0.utf8) },
      workingDirectory: Paths.root)
    #expect(result.status == 0, "\(result.stdoutText)\(result.stderrText)")
    #expect(result.stdoutText == "All checks passed!\n")
  }
}
