import Foundation
import Testing

/// The CPython linked into greenlight is Debian's python3.11 to everything that runs on it,
/// whichever libpython the binary was linked with (Debian's archive for `make build`, the
/// PGO + LTO build of Debian's source for `make release`): the same build string, built-in
/// modules, ABI and sysconfig answers, and C extensions from PyPI wheels work.
@Suite("the linked interpreter is Debian's python3.11")
struct InterpreterFidelityTests {
  static let systemPython = "/usr/bin/python3.11"
  static let sweepVenv = Paths.root + "/.venv-sweep"

  @Test("sys.version, built-in modules, ABI and sysconfig answers are python3.11's")
  func interpreterFacts() throws {
    let script = Paths.fixture("interpreter_facts.py")
    let reference = try ChildProcess.run(Self.systemPython, [Array(script.utf8)])
    #expect(reference.status == 0, "\(reference.stderrText)")
    let linked = try greenlight(["run", "--python", Self.systemPython, "--patch", "none", script])
    #expect(linked.status == 0, "\(linked.stderrText)")
    #expect(linked.stdoutText == reference.stdoutText)
  }

  @Test(
    "greenlet, numpy and cryptography from PyPI wheels import and compute what python does",
    .enabled(
      if: FileManager.default.fileExists(atPath: sweepVenv + "/bin/python"),
      "make test makes .venv-sweep (numpy, cryptography, greenlet from PyPI)"))
  func cExtensions() throws {
    let script = Paths.fixture("c_extensions.py")
    let reference = try ChildProcess.run(
      Self.sweepVenv + "/bin/python", [Array(script.utf8)], removing: ["VIRTUAL_ENV"])
    #expect(reference.status == 0, "\(reference.stderrText)")
    let linked = try greenlight(["run", "--python", Self.sweepVenv, "--patch", "none", script])
    #expect(linked.status == 0, "\(linked.stderrText)")
    // Fernet keys and EC signatures are random; the script prints only what is not.
    #expect(linked.stdoutText == reference.stdoutText)
    #expect(linked.stdoutText.hasSuffix("ecdsa verified\n"))
  }

  @Test("psycopg2-binary's extension and the libpq it bundles work as under python")
  func psycopg2Extension() throws {
    let venv = Paths.root + "/.venv"
    let script = Paths.fixture("c_extension_psycopg2.py")
    let reference = try ChildProcess.run(
      venv + "/bin/python", [Array(script.utf8)], removing: ["VIRTUAL_ENV"])
    #expect(reference.status == 0, "\(reference.stderrText)")
    let linked = try greenlight(["run", "--python", venv, "--patch", "none", script])
    #expect(linked.status == 0, "\(linked.stderrText)")
    #expect(linked.stdoutText == reference.stdoutText)
    #expect(linked.stdoutText.hasSuffix("refused True\n"), "\(linked.stdoutText)")
  }
}
