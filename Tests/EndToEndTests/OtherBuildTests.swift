import Foundation
import Testing

/// A venv of another CPython 3.11 build passes the major.minor check but cannot run on the
/// linked 3.11.2 core (its extensions need symbols the core lacks): refused at preflight.
@Suite("another CPython 3.11 build")
struct OtherBuildTests {
  static let pyenvPython = "/root/.pyenv/versions/3.11.7/bin/python3"

  @Test(
    "a venv of pyenv's 3.11.7 is refused in one sentence naming both builds, exit 69",
    .enabled(
      if: FileManager.default.isExecutableFile(atPath: pyenvPython),
      "needs pyenv's CPython 3.11.7 at /root/.pyenv/versions/3.11.7"),
    arguments: [["run", "--python"], ["check", "--python"]])
  func pyenvVenv(_ command: [String]) throws {
    let folder = try Paths.temporaryFolder()
    let made = try ChildProcess.run(
      Self.pyenvPython, ["-m", "venv", "--without-pip", folder + "/v"].map { Array($0.utf8) })
    #expect(made.status == 0)
    let python = folder + "/v/bin/python"
    let result = try greenlight(command + [python, "-c", "pass"])
    #expect(result.status == 69)
    #expect(result.stdout.isEmpty)
    #expect(
      result.stderrText
        == "greenlight: error: --python \(python) is CPython 3.11.7 at"
        + " /root/.pyenv/versions/3.11.7, but greenlight is built against CPython 3.11.2 at"
        + " /usr; make the venv with /usr/bin/python3.11 -m venv.\n")
  }

  @Test("a venv of the linked build still runs, and so does the linked interpreter")
  func linkedBuild() throws {
    let venv = try greenlight(["run", "--python", Paths.venv, "-c", "import eventlet; print(1)"])
    #expect(venv.status == 0, "\(venv.stderrText)")
    #expect(venv.stdoutText == "1\n")
    let base = try greenlight(["run", "--python", "/usr/bin/python3", "--no-patch", "-c", "pass"])
    #expect(base.status == 0, "\(base.stderrText)")
    let checked = try greenlight(["check", "--python", Paths.venv, "-c", "pass"])
    #expect(checked.status == 0, "\(checked.stderrText)")
  }
}
