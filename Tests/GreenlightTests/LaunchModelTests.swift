@testable import PythonRuntime
import Testing

@testable import Greenlight

@Suite("entry points, console scripts and versions")
struct LaunchModelTests {
  @Test(
    "entry points parse as dotted names on both sides of one colon",
    arguments: [
      ("nova.cmd.compute:main", "nova.cmd.compute", "main"),
      ("pkg:App.run", "pkg", "App.run"), (" pkg.mod : main [extra] ", "pkg.mod", "main"),
      ("_private1:_f", "_private1", "_f"), ("пакет:старт", "пакет", "старт"),
    ])
  func entryPoints(_ text: String, _ module: String, _ attribute: String) {
    let entry = EntryPoint(parsing: text)
    #expect(entry?.module == module)
    #expect(entry?.attribute == attribute)
  }

  @Test(
    "malformed entry points are refused",
    arguments: [
      "pkg", "pkg:", ":main", "a:b:c", "pkg-name:main", "pkg:1main", "a..b:c", "a:b;import os",
    ])
  func badEntryPoints(_ text: String) {
    #expect(EntryPoint(parsing: text) == nil)
  }

  @Test("console_scripts is read from entry_points.txt, other groups ignored")
  func consoleScripts() {
    let text = """
      [console_scripts]
      nova-api = nova.cmd.api:main
      nova-compute=nova.cmd.compute:main [extra]
      ; a comment
      [gui_scripts]
      nova-gui = nova.gui:main
      [oslo.config.opts]
      nova.conf = nova.conf.opts:list_opts
      """
    let scripts = ConsoleScripts.parse(text)
    #expect(scripts.map(\.0) == ["nova-api", "nova-compute"])
    #expect(scripts.map(\.1.description) == ["nova.cmd.api:main", "nova.cmd.compute:main"])
  }

  @Test(
    "pyvenv.cfg versions",
    arguments: [
      ("home = /usr/bin\nversion = 3.11.2\n", "3.11"), ("version_info = 3.12.1.final.0", "3.12"),
      ("home = /usr/bin\n", nil),
    ] as [(String, String?)])
  func venvVersions(_ configuration: String, _ version: String?) {
    #expect(PythonInstallation.venvVersion(configuration)?.description == version)
  }

  @Test("the linked libpython is 3.11")
  func linked() {
    #expect(PythonVersion.linked == PythonVersion(major: 3, minor: 11))
  }

  @Test("python string literals escape everything that is not printable ASCII")
  func literals() {
    #expect(HandOff.pythonLiteral("a'b\\c") == "'a\\'b\\\\c'")
    #expect(HandOff.pythonLiteral("é\n") == "'\\U000000e9\\U0000000a'")
  }

  @Test("targets map onto python's run modes and argv")
  func handOffs() {
    let module = HandOff(target: .module("svc"), scriptPath: nil, entry: nil, arguments: [[0x61]])
    #expect(module.target == .module("svc"))
    #expect(module.arguments == [Array("-m".utf8), [0x61]])
    let command = HandOff(target: .command("pass"), scriptPath: nil, entry: nil, arguments: [])
    #expect(command.target == .command("pass\n"))
    #expect(command.arguments == [Array("-c".utf8)])
    let file = HandOff(target: .file("s.py"), scriptPath: nil, entry: nil, arguments: [])
    #expect(file.arguments == [Array("s.py".utf8)])
  }

  @Test(
    "DISABLE_EVENTLET_PATCHING",
    arguments: [
      (nil, PatchMode.first), ("", .first), ("0", .first), ("False", .first), ("no", .first),
      ("1", .none), ("yes", .none), ("true", .none), ("on", .none),
    ] as [(String?, PatchMode)])
  func disablePatching(_ value: String?, _ mode: PatchMode) {
    #expect(PatchMode.first.applyingEnvironment(value) == mode)
  }
}
