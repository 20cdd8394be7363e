import Foundation
import Testing

/// `greenlight python ARGS` and greenlight started through a link named python: python's own
/// command line, compared byte for byte with the venv's python (in `first` mode, python with
/// eventlet patched from a sitecustomize, as for `run`).
@Suite("the python front end")
struct FrontEndTests {
  /// Python options on top of the hand-off scenarios `run` is held to.
  static let optionScenarios: [Scenario] = [
    Scenario(
      name: "-uc combined", arguments: ["-uc", "import sys; print(sys.flags.unbuffered, sys.argv)"]),
    Scenario(name: "-c code glued to the option", arguments: ["-cprint('glued')", "x"]),
    Scenario(
      name: "-I", arguments: ["-I", "-c", "import sys; print(sys.flags.isolated, sys.path[0])"]),
    Scenario(
      name: "-E", arguments: ["-E", "-c", "import sys; print(sys.flags.ignore_environment)"]),
    Scenario(
      name: "-s and -B",
      arguments: [
        "-s", "-B", "-c",
        "import sys; print(sys.flags.no_user_site, sys.dont_write_bytecode)",
      ]),
    Scenario(
      name: "-S",
      arguments: [
        "-S", "-c",
        "import sys; print(sys.flags.no_site, 'site' in sys.modules,"
          + " [p for p in sys.path if 'site-packages' in p])",
      ]),
    Scenario(name: "-O", arguments: ["-O", "-c", "assert False, 'kept'\nprint('stripped')"]),
    Scenario(name: "-OO", arguments: ["-OO", "-c", "import sys; print(sys.flags.optimize)"]),
    Scenario(
      name: "-X utf8 and -X dev",
      arguments: [
        "-X", "utf8", "-Xdev", "-c", "import sys; print(sys.flags.utf8_mode, sys.flags.dev_mode)",
      ]),
    Scenario(
      name: "-W error",
      arguments: ["-W", "error::UserWarning", "-c", "import warnings; warnings.warn('w')"]),
    Scenario(
      name: "-Wignore glued",
      arguments: ["-Wignore", "-c", "import warnings; warnings.warn('w'); print(1)"]),
    Scenario(name: "-V", arguments: ["-V"]),
    Scenario(name: "--version", arguments: ["--version"]),
    Scenario(name: "-h", arguments: ["-h"]),
    Scenario(name: "unknown option", arguments: ["--no-such-option"]),
    Scenario(name: "-c without code", arguments: ["-c"]),
    Scenario(
      name: "- reads the script from stdin", arguments: ["-", "arg"],
      stdin: "import sys\nprint(sys.argv, __name__)\n"),
    Scenario(
      name: "no arguments and a piped stdin", arguments: [],
      stdin: "import sys\nprint('from stdin', sys.argv)\n"),
    Scenario(name: "-- before the file", arguments: ["--", "main_and_path.py", "-c", "x"]),
    Scenario(
      name: "-m with python options first", arguments: ["-u", "-B", "-m", "compat_pkg", "z"]),
  ]

  static let scenarios = PythonCompatibilityTests.scenarios + optionScenarios

  @Test("same status, stdout and stderr as python (patch first)", arguments: scenarios)
  func patchFirst(_ scenario: Scenario) throws {
    try compare(scenario, mode: "first")
  }

  @Test("same status, stdout and stderr as python (patch none)", arguments: optionScenarios)
  func patchNone(_ scenario: Scenario) throws {
    try compare(scenario, mode: "none")
  }

  private func compare(_ scenario: Scenario, mode: String) throws {
    let expected = try PythonCompatibilityTests.reference(scenario, mode: mode)
    let link = try FrontEndLinkFolder()
    defer { link.remove() }
    let actual = try ChildProcess.run(
      link.python, scenario.arguments.map { Array($0.utf8) }, stdin: Array(scenario.stdin.utf8),
      workingDirectory: Paths.fixtures,
      environment: ["GREENLIGHT_PYTHON": Paths.venv, "GREENLIGHT_PATCH": mode],
      removing: ["VIRTUAL_ENV"], mergeOutput: scenario.mergeOutput)
    // python names itself (sys.executable) in some messages; the front end is the link.
    let stdout = actual.stdoutText.replacingOccurrences(of: link.python, with: Paths.venvPython)
    let stderr = actual.stderrText.replacingOccurrences(of: link.python, with: Paths.venvPython)
    #expect(actual.termination == expected.termination, "\(scenario.name)")
    #expect(stdout == expected.stdoutText, "\(scenario.name): stdout")
    #expect(stderr == expected.stderrText, "\(scenario.name): stderr")
  }

  @Test("greenlight python patches first and makes sys.executable a front end")
  func subcommand() throws {
    let code = """
      import socket, subprocess, sys, threading
      print(socket.socket.__module__, threading.Lock.__module__)
      print(subprocess.check_output([sys.executable, '-c', 'import socket; print(socket.socket.__module__)']).decode().strip())
      print(sys.executable.endswith('/python'), sys.executable != '\(Paths.venvPython)')
      """
    let result = try greenlight(
      ["python", "-c", code], workingDirectory: Paths.fixtures,
      environment: ["GREENLIGHT_PYTHON": Paths.venv])
    #expect(result.status == 0, "\(result.stderrText)")
    #expect(
      result.stdoutText
        == "eventlet.greenio.base eventlet.green.thread\neventlet.greenio.base\nTrue True\n")
  }

  @Test("on its own, the front end runs a service without an audit hook, as python does")
  func noAuditHook() throws {
    let folder = Paths.root + "/Tests/EndToEndTests/Fixtures/watch/"
    for (mode, probe) in [
      ("first", "audit_probe.py"), ("auto", "audit_probe.py"),
      ("target", "audit_probe_patched.py"), ("auto", "audit_probe_patched.py"),
    ] {
      let result = try greenlight(
        ["python", folder + probe], workingDirectory: Paths.fixtures,
        environment: ["GREENLIGHT_PYTHON": Paths.venv, "GREENLIGHT_PATCH": mode])
      #expect(result.status == 0, "\(mode) \(probe): \(result.stderrText)")
      #expect(result.stdoutText == "no audit hook\n", "\(mode) \(probe): \(result.stderrText)")
    }
  }

  @Test("a link named python3.11 is the front end; sys.executable is the link")
  func linkName() throws {
    let folder = try Paths.temporaryFolder()
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let link = folder + "/python3.11"
    try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: Paths.greenlight)
    let result = try ChildProcess.run(
      link,
      [
        Array("-c".utf8),
        Array("import sys, threading; print(sys.executable, threading.Lock.__module__)".utf8),
      ],
      workingDirectory: Paths.fixtures, environment: ["GREENLIGHT_PYTHON": Paths.venv],
      removing: ["VIRTUAL_ENV"])
    #expect(result.status == 0, "\(result.stderrText)")
    #expect(result.stdoutText == "\(link) eventlet.green.thread\n")
  }

  @Test("GREENLIGHT_PATCH with an unknown mode is a usage error")
  func badMode() throws {
    let result = try greenlight(
      ["python", "-c", "pass"],
      environment: ["GREENLIGHT_PYTHON": Paths.venv, "GREENLIGHT_PATCH": "late"])
    #expect(result.status == 64)
    #expect(
      result.stderrText
        == "greenlight: error: GREENLIGHT_PATCH=late is not a patch mode; use auto, first, target or none.\n"
    )
  }

  @Test("GREENLIGHT_PYTHON naming no Python is one sentence and exit 64")
  func badPython() throws {
    let result = try greenlight(
      ["python", "-c", "pass"], environment: ["GREENLIGHT_PYTHON": "/no/such/venv"])
    #expect(result.status == 64)
    #expect(
      result.stderrText.hasPrefix("greenlight: error: GREENLIGHT_PYTHON /no/such/venv is not"))
    #expect(result.stderrText.split(separator: "\n").count == 1)
  }
}

/// A temporary folder holding a link named `python` to the greenlight under test.
struct FrontEndLinkFolder {
  let folder: String
  var python: String { folder + "/python" }

  init() throws {
    folder = try Paths.temporaryFolder()
    try FileManager.default.createSymbolicLink(
      atPath: folder + "/python", withDestinationPath: Paths.greenlight)
  }

  func remove() { try? FileManager.default.removeItem(atPath: folder) }
}
