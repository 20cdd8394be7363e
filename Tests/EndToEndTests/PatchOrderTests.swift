import Foundation
import Testing

/// Whose code runs before a patch: greenlight's own `import eventlet` in `--patch first`
/// (which must load no other distribution's locks first), and the parent packages of a
/// service's patching module in `--patch target` (GL104).
@Suite("patch order")
struct PatchOrderTests {
  static let sweepVenv = Paths.root + "/.venv-sweep"
  static let hasSweep = FileManager.default.fileExists(atPath: sweepVenv + "/bin/python")

  /// Prints, from inside the service, what pyOpenSSL and cryptography became.
  static let probe = """
    import sys, eventlet.greenio as g
    print("held off:", "OpenSSL" in sys.modules and sys.modules["OpenSSL"] is None)
    print("greenio.SSL is a module:", type(g.SSL) is type(sys))
    b = sys.modules.get("cryptography.hazmat.bindings.openssl.binding")
    lock = b and b.Binding._init_lock
    print("init lock green:", b is None or type(lock).__module__.startswith("eventlet"))
    """

  @Test(
    "first: with pyOpenSSL installed, cryptography's lock is made after the patch",
    .enabled(if: hasSweep))
  func firstWithOpenSSL() throws {
    let check = try greenlight(
      [
        "check", "--python", Self.sweepVenv, "--format", "json",
        Paths.fixture("check/imports_nothing.py"),
      ], seconds: 300)
    #expect(check.status == 0, "\(check.stderrText)")
    #expect(!check.stdoutText.contains("GL108"), "\(check.stdoutText)")
    let run = try greenlight(["run", "--python", Self.sweepVenv, "-c", Self.probe], seconds: 300)
    #expect(run.status == 0, "\(run.stderrText)")
    #expect(
      run.stdoutText
        == "held off: False\ngreenio.SSL is a module: True\ninit lock green: True\n")
  }

  @Test("first: without pyOpenSSL, eventlet keeps its stand-ins and check stays clean")
  func firstWithoutOpenSSL() throws {
    let check = try greenlight(
      ["check", "--python", Paths.venv, Paths.fixture("check/imports_nothing.py")])
    #expect(check.status == 0)
    #expect(check.stderrText.hasSuffix("greenlight: no findings\n"), "\(check.stderrText)")
    let run = try greenlight(["run", "--python", Paths.venv, "-c", Self.probe])
    #expect(run.status == 0, "\(run.stderrText)")
    #expect(
      run.stdoutText
        == "held off: False\ngreenio.SSL is a module: False\ninit lock green: True\n")
  }

  @Test(
    "target: the service's own import of eventlet made cryptography's lock: GL108 info; made first by the service: error",
    .enabled(if: hasSweep))
  func targetEventletImport() throws {
    let folder = try Paths.temporaryFolder()
    try "import eventlet\neventlet.monkey_patch()\n".write(
      toFile: folder + "/plain.py", atomically: true, encoding: .utf8)
    try "import cryptography.hazmat.bindings.openssl.binding\nimport eventlet\n"
      .appending("eventlet.monkey_patch()\n")
      .write(toFile: folder + "/direct.py", atomically: true, encoding: .utf8)
    let lock = "cryptography.hazmat.bindings.openssl.binding.Binding._init_lock"
    let plain = try greenlight(
      ["check", "--python", Self.sweepVenv, "--patch", "target", "plain.py"],
      workingDirectory: folder, seconds: 300)
    #expect(plain.status == 0, "\(plain.stderrText)")
    #expect(plain.stderrText.contains("info GL108 native-lock: \(lock) is a native lock"))
    #expect(
      plain.stderrText.contains(
        "It was made while the service's own import of eventlet loaded"
          + " cryptography.hazmat.bindings.openssl.binding ("
          + Self.sweepVenv + "/lib/python3.11/site-packages/eventlet/greenio/base.py:"),
      "\(plain.stderrText)")
    let direct = try greenlight(
      ["check", "--python", Self.sweepVenv, "--patch", "target", "direct.py"],
      workingDirectory: folder, seconds: 300)
    #expect(direct.status == 1)
    #expect(
      direct.stderrText.contains("error GL108 native-lock: \(lock) is a native lock"),
      "\(direct.stderrText)")
  }

  @Test("target: a parent package that only reads its version is no GL104; GL101 sees socket")
  func versionLookup() throws {
    let result = try greenlight(
      [
        "check", "--python", Paths.venv, "--patch", "target", "--format", "json", "--entry",
        "versioned.cmd.api:main",
      ], workingDirectory: Paths.fixture("check"))
    let report = try JSONSerialization.jsonObject(with: Data(result.stdout)) as? [String: Any]
    let findings = try #require(report?["findings"] as? [[String: Any]], "\(result.stderrText)")
    #expect(!findings.contains { $0["rule"] as? String == "GL104" }, "\(findings)")
    // importlib.metadata loads socket and threading through email and zipfile.
    #expect(findings.contains { $0["rule"] as? String == "GL101" }, "\(findings)")
  }
}
