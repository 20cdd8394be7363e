import Testing

/// `--entry MODULE:FUNCTION` and `--script NAME`: the console-script contract.
@Suite("entry points and console scripts")
struct EntryPointTests {
  private func entry(_ spec: String, _ arguments: [String] = []) throws -> ChildResult {
    try greenlight(
      ["run", "--python", Paths.venv, "--entry", spec] + arguments,
      workingDirectory: Paths.fixtures)
  }

  @Test("the function's return value is the exit status; argv and sys.path[0] as for -m")
  func returnValue() throws {
    let result = try entry("entry_fixture:main", ["5", "--flag"])
    #expect(result.status == 5)
    #expect(
      result.stdoutText == "entry main: entry_fixture ['entry_fixture:main', '5', '--flag'] True\n")
    let none = try entry("entry_fixture:main")
    #expect(none.status == 0)
  }

  @Test("a string return value is printed to stderr with status 1, as sys.exit does")
  func stringReturn() throws {
    let result = try entry("entry_fixture:says_goodbye")
    #expect(result.status == 1)
    #expect(result.stderrText == "goodbye from the entry point\n")
  }

  @Test("an exception in the function is an uncaught traceback with status 1")
  func raises() throws {
    let result = try entry("entry_fixture:fails")
    #expect(result.status == 1)
    #expect(result.stderrText.hasPrefix("Traceback (most recent call last):\n"))
    #expect(result.stderrText.contains("entry_fixture.py\", line 16, in fails"))
    #expect(result.stderrText.hasSuffix("LookupError: raised by the entry point\n"))
  }

  @Test("a dotted attribute is reached through its class")
  func dottedAttribute() throws {
    let result = try entry("entry_fixture:Service.start")
    #expect(result.status == 0)
    #expect(result.stdoutText == "Service.start ran\n")
  }

  @Test("a module that does not exist fails as an import in python would")
  func missingModule() throws {
    let result = try entry("no_such_entry_module:main")
    #expect(result.status == 1)
    #expect(
      result.stderrText.hasSuffix("ModuleNotFoundError: No module named 'no_such_entry_module'\n"))
  }

  /// pip's own console script is a real entry point of a real installed distribution.
  @Test("--script runs a console_scripts entry point exactly as its wrapper does")
  func script() throws {
    let expected = try ChildProcess.run(Paths.venv + "/bin/pip", [Array("--version".utf8)])
    let actual = try greenlight(["run", "--python", Paths.venv, "--script", "pip", "--version"])
    #expect(actual.status == 0, "\(actual.stderrText)")
    #expect(actual.stdoutText == expected.stdoutText)
    #expect(actual.stdoutText.hasPrefix("pip "))
  }

  @Test("an unknown script name is a usage error naming what is installed")
  func unknownScript() throws {
    let result = try greenlight(["run", "--python", Paths.venv, "--script", "no-such-script"])
    #expect(result.status == 64)
    #expect(result.stderrText.contains("no console script named no-such-script is installed in"))
    #expect(result.stderrText.contains("pip"))
  }
}
