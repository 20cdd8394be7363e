import Foundation
import Testing

/// Choosing the Python: --python, VIRTUAL_ENV, ./.venv, the built-against Python; refusing
/// another major.minor and a venv without eventlet (exit 69).
@Suite("the Python environment")
struct EnvironmentTests {
  static let printExecutable = "import sys; print(sys.executable, sys.prefix)"

  @Test("--python takes a venv folder or its bin/python", arguments: ["", "/bin/python"])
  func explicitPython(_ suffix: String) throws {
    let result = try greenlight(
      ["run", "--python", Paths.venv + suffix, "--patch", "none", "-c", Self.printExecutable])
    #expect(result.status == 0, "\(result.stderrText)")
    #expect(result.stdoutText == "\(Paths.venvPython) \(Paths.venv)\n")
  }

  @Test("VIRTUAL_ENV comes before ./.venv")
  func virtualEnv() throws {
    let folder = try Paths.temporaryFolder()
    let result = try ChildProcess.run(
      Paths.greenlight, ["run", "--no-patch", "-c", Self.printExecutable].map { Array($0.utf8) },
      workingDirectory: folder, environment: ["VIRTUAL_ENV": Paths.venv])
    #expect(result.status == 0, "\(result.stderrText)")
    #expect(result.stdoutText == "\(Paths.venvPython) \(Paths.venv)\n")
  }

  @Test("./.venv is used when VIRTUAL_ENV is unset")
  func dotVenv() throws {
    let result = try greenlight(
      ["run", "-c", Self.printExecutable + "; import eventlet"], workingDirectory: Paths.root)
    #expect(result.status == 0, "\(result.stderrText)")
    #expect(result.stdoutText == "\(Paths.venvPython) \(Paths.venv)\n")
  }

  @Test("the nearest .venv from the working directory up is used")
  func venvAbove() throws {
    let result = try greenlight(
      ["run", "-c", Self.printExecutable + "; import eventlet"],
      workingDirectory: Paths.fixture("check"))
    #expect(result.status == 0, "\(result.stderrText)")
    #expect(result.stdoutText == "\(Paths.venvPython) \(Paths.venv)\n")
  }

  @Test("without a venv, the built-against Python runs (and has no eventlet)")
  func builtAgainst() throws {
    let folder = try Paths.temporaryFolder()
    let result = try greenlight(
      ["run", "--no-patch", "-c", "import sys; print(sys.prefix, sys.version_info[:2])"],
      workingDirectory: folder)
    #expect(result.status == 0, "\(result.stderrText)")
    #expect(result.stdoutText == "/usr (3, 11)\n")
  }

  @Test("a venv without eventlet gets one sentence on how to install it, exit 69")
  func eventletMissing() throws {
    let folder = try Paths.temporaryFolder()
    let made = try ChildProcess.run(
      "/usr/bin/python3", ["-m", "venv", "--without-pip", folder + "/bare"].map { Array($0.utf8) })
    #expect(made.status == 0)
    let result = try greenlight(["run", "--python", folder + "/bare", "-c", "print('ran')"])
    #expect(result.status == 69)
    #expect(result.stdout.isEmpty)
    #expect(
      result.stderrText
        == "greenlight: error: eventlet is not installed in the Python at \(folder)/bare/bin/python;"
        + " install it with `\(folder)/bare/bin/python -m pip install eventlet` (or the project's"
        + " requirements.txt), or run with --no-patch.\n")
    // Without patching, eventlet is not needed.
    let unpatched = try greenlight(
      ["run", "--python", folder + "/bare", "--no-patch", "-c", "print('ran')"])
    #expect(unpatched.status == 0)
    #expect(unpatched.stdoutText == "ran\n")
  }

  @Test("a venv of another major.minor is refused naming both versions, exit 69")
  func otherVersionFromConfig() throws {
    // A venv whose pyvenv.cfg says 3.12 (the layout python -m venv writes).
    let folder = try Paths.temporaryFolder()
    try FileManager.default.createDirectory(
      atPath: folder + "/venv312/bin", withIntermediateDirectories: true)
    try "home = /usr/bin\ninclude-system-site-packages = false\nversion = 3.12.1\n".write(
      toFile: folder + "/venv312/pyvenv.cfg", atomically: true, encoding: .utf8)
    try FileManager.default.createSymbolicLink(
      atPath: folder + "/venv312/bin/python", withDestinationPath: "/usr/bin/python3")
    let result = try greenlight(["run", "--python", folder + "/venv312", "-c", "pass"])
    #expect(result.status == 69)
    #expect(
      result.stderrText
        == "greenlight: error: --python \(folder)/venv312 is Python 3.12, but greenlight is built"
        + " against Python 3.11; use a virtual environment made with python3.11 -m venv.\n")
  }

  static let otherPython = "/root/.pyenv/versions/3.12.1/bin/python3.12"

  @Test(
    "a real venv of Python 3.12 is refused, exit 69",
    .enabled(if: FileManager.default.isExecutableFile(atPath: otherPython)))
  func otherVersionReal() throws {
    let folder = try Paths.temporaryFolder()
    let made = try ChildProcess.run(
      Self.otherPython, ["-m", "venv", "--without-pip", folder + "/v"].map { Array($0.utf8) })
    #expect(made.status == 0)
    let result = try greenlight(["run", "--python", folder + "/v/bin/python", "-c", "pass"])
    #expect(result.status == 69)
    #expect(
      result.stderrText.contains("is Python 3.12, but greenlight is built against Python 3.11"))
  }

  @Test("a patch phase that raises prints the traceback and one sentence, exit 70")
  func patchPhaseRaises() throws {
    // An eventlet that fails on import, found first through PYTHONPATH.
    let folder = try Paths.temporaryFolder()
    try FileManager.default.createDirectory(
      atPath: folder + "/eventlet", withIntermediateDirectories: true)
    try "raise RuntimeError('this eventlet is broken')\n".write(
      toFile: folder + "/eventlet/__init__.py", atomically: true, encoding: .utf8)
    let result = try greenlight(
      ["run", "--python", Paths.venv, "-c", "print('not reached')"],
      environment: ["PYTHONPATH": folder])
    #expect(result.status == 70)
    #expect(result.stdout.isEmpty)
    #expect(result.stderrText.hasPrefix("Traceback (most recent call last):\n"))
    #expect(
      result.stderrText.hasSuffix(
        "RuntimeError: this eventlet is broken\ngreenlight: error: the patch phase failed before"
          + " hand-off: RuntimeError: this eventlet is broken\n"))
  }

  @Test("an interpreter that cannot start is one sentence naming CPython's reason, exit 69")
  func initializationFails() throws {
    let result = try greenlight(
      ["run", "--python", Paths.venv, "-c", "pass"], environment: ["PYTHONHOME": "/nonexistent"])
    #expect(result.status == 69)
    #expect(
      result.stderrText.hasSuffix(
        "greenlight: error: Python \(Paths.venvPython) did not start: init_fs_encoding: failed to"
          + " get the Python codec of the filesystem encoding.\n"))
  }
}
