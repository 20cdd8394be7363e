import Foundation
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// The default mode, `auto`: the service's own code decides. Each case is a service of a
/// different kind, run with no `--patch` at all, and the report says the mode the process
/// really ran in.
@Suite("the default mode: the service decides")
struct AutoModeTests {
  static let switchService = Paths.fixture("project_switch/switch_service.py")

  /// `check --format json` of `target` with no `--patch`: the report's `process` object and
  /// its findings.
  private func checkJSON(
    _ target: [String], python: String = Paths.venv, environment: [String: String] = [:]
  ) throws -> (process: [String: Any], findings: [[String: Any]], stderr: String) {
    let result = try greenlight(
      ["check", "--python", python, "--format", "json"] + target, workingDirectory: Paths.root,
      environment: environment.merging(["PYTHONWARNINGS": "ignore"]) { $1 },
      removing: ["OS_NOVA_DISABLE_EVENTLET_PATCHING", "SWITCH_SERVICE_USE_EVENTLET"],
      seconds: 180)
    let report = try #require(
      try JSONSerialization.jsonObject(with: Data(result.stdoutText.utf8)) as? [String: Any],
      "\(result.stdoutText)\(result.stderrText)")
    return (
      try #require(report["process"] as? [String: Any]),
      try #require(report["findings"] as? [[String: Any]]), result.stderrText
    )
  }

  @Test("a service behind its own switch: native when off, patched by itself when on")
  func projectSwitch() throws {
    let off = try checkJSON([Self.switchService])
    #expect(off.process["concurrency"] as? String == "native", "\(off.process)")
    #expect(off.findings.isEmpty, "\(off.findings)")
    let on = try checkJSON([Self.switchService], environment: ["SWITCH_SERVICE_USE_EVENTLET": "1"])
    #expect(on.process["concurrency"] as? String == "eventlet")
    #expect(on.process["patched_by"] as? String == "service")
    let call = try #require(on.process["patch_call"] as? [String: Any])
    #expect((call["file"] as? String)?.hasSuffix("project_switch/switch_service.py") == true)
    #expect(call["line"] as? Int == 12)

    // run: the service's own output says which threads it had.
    let native = try greenlight(
      ["run", "--python", Paths.venv, "-v", Self.switchService], workingDirectory: Paths.root,
      removing: ["SWITCH_SERVICE_USE_EVENTLET"])
    #expect(native.status == 0, "\(native.stderrText)")
    #expect(native.stdoutText == "native False\n")
    #expect(
      native.stderrText.contains(
        "greenlight: mode       auto → target: the service decides its concurrency at run time,"
          + " at Tests/EndToEndTests/Fixtures/project_switch/switch_service.py:12"),
      "\(native.stderrText)")
    let green = try greenlight(
      ["run", "--python", Paths.venv, Self.switchService], workingDirectory: Paths.root,
      environment: ["SWITCH_SERVICE_USE_EVENTLET": "1", "PYTHONWARNINGS": "ignore"])
    #expect(green.status == 0, "\(green.stderrText)")
    #expect(green.stdoutText == "green True\n")
  }

  @Test("--patch none, and the service patches anyway: one finding naming its switch")
  func patchedAnyway() throws {
    let result = try greenlight(
      ["run", "--python", Paths.venv, "--no-patch", Self.switchService],
      workingDirectory: Paths.root,
      environment: ["SWITCH_SERVICE_USE_EVENTLET": "1", "PYTHONWARNINGS": "ignore"])
    #expect(result.status == 0, "\(result.stderrText)")
    #expect(result.stdoutText == "green True\n")
    let text = result.stderrText
    #expect(text.components(separatedBy: "error GL").count == 2, "one finding: \(text)")
    #expect(text.contains("error GL601 eventlet-in-native-mode: The service patched itself"))
    #expect(
      text.contains(
        "  eventlet.monkey_patch at Tests/EndToEndTests/Fixtures/project_switch/switch_service.py:12"
      ), "\(text)")
    #expect(
      text.contains(
        "its own switch is SWITCH_SERVICE_USE_EVENTLET, read at"
          + " Tests/EndToEndTests/Fixtures/project_switch/switch_service.py:9"), "\(text)")
  }

  @Test("a service that imports eventlet and never patches is patched first")
  func reliesOnLauncher() throws {
    let fixture = Paths.examples + "/hazards/GL601/bad.py"
    let checked = try checkJSON([fixture])
    #expect(checked.process["patched_by"] as? String == "greenlight", "\(checked.process)")
    let ran = try greenlight(
      ["run", "--python", Paths.venv, fixture], workingDirectory: Paths.root,
      environment: ["PYTHONWARNINGS": "ignore"])
    #expect(ran.status == 0, "\(ran.stderrText)")
    #expect(ran.stdoutText.contains("socket.socket is native: False"), "\(ran.stdoutText)")
  }

  @Test("--patch target of a service whose code never patches: judged as native at its exit")
  func targetNeverPatched() throws {
    let result = try greenlight(
      [
        "run", "--python", Paths.venv, "--patch", "target",
        Paths.examples + "/hazards/GL601/bad.py",
      ],
      workingDirectory: Paths.root, environment: ["PYTHONWARNINGS": "ignore"])
    #expect(result.status == 0, "\(result.stderrText)")
    #expect(result.stdoutText.contains("socket.socket is native: True"), "\(result.stdoutText)")
    let text = result.stderrText
    #expect(text.contains("error GL601 eventlet-in-native-mode: An eventlet hub"), "\(text)")
    #expect(text.contains("greenlight: native threads: nothing patched"), "\(text)")
  }

  @Test("the example service and the spec's deadlock run under the default")
  func examples() throws {
    let hello = try greenlight(
      ["run", "--python", Paths.venv, Paths.examples + "/hello_service.py", "--demo"],
      workingDirectory: Paths.root, environment: ["PYTHONWARNINGS": "ignore"], seconds: 120)
    #expect(hello.status == 0, "\(hello.stdoutText)\(hello.stderrText)")
    // The deadlock example patches unconditionally with thread=False: greenlight patches
    // first and its call changes nothing, so the green threads finish.
    let spec = try greenlight(
      ["run", "--python", Paths.venv, Paths.examples + "/deadlock_spec.py"],
      workingDirectory: Paths.root,
      environment: ["PYTHONWARNINGS": "ignore", "DEADLOCK_WATCHDOG_SECONDS": "20"], seconds: 120)
    #expect(spec.status == 0, "\(spec.stdoutText)\(spec.stderrText)")
  }
}

/// nova 34 and swift 2.38 from PyPI under the default mode.
@Suite(
  "the default mode on nova and swift",
  .enabled(
    if: FileManager.default.fileExists(atPath: Paths.root + "/.venv-sweep/bin/python"),
    "make test makes .venv-sweep (nova 34, swift 2.38 from PyPI)"))
struct AutoModeServiceTests {
  static let venv = Paths.root + "/.venv-sweep"

  private func check(_ entry: String) throws -> [String: Any] {
    let result = try greenlight(
      ["check", "--python", Self.venv, "--format", "json", "--entry", entry],
      workingDirectory: try Paths.temporaryFolder(),
      environment: ["PYTHONWARNINGS": "ignore"], removing: ["OS_NOVA_DISABLE_EVENTLET_PATCHING"],
      seconds: 180)
    let report = try #require(
      try JSONSerialization.jsonObject(with: Data(result.stdoutText.utf8)) as? [String: Any],
      "\(result.stderrText)")
    #expect(report["mode"] as? String == "target")
    return try #require(report["process"] as? [String: Any])
  }

  @Test("nova-compute: native, as nova chose; its --help runs")
  func novaCompute() throws {
    let process = try check("nova.cmd.compute:main")
    #expect(process["concurrency"] as? String == "native", "\(process)")
    #expect(process["patched_by"] is NSNull)
    let help = try greenlight(
      ["run", "--python", Self.venv, "--entry", "nova.cmd.compute:main", "--help"],
      workingDirectory: try Paths.temporaryFolder(),
      removing: ["OS_NOVA_DISABLE_EVENTLET_PATCHING"], seconds: 180)
    #expect(help.status == 0, "\(help.stderrText)")
    #expect(help.stdoutText.contains("usage:"))
    #expect(!help.stderrText.contains("greenlight: error"), "\(help.stderrText)")
  }

  @Test("nova-novncproxy: eventlet, patched by nova at nova/monkey_patch.py")
  func novaNoVNCProxy() throws {
    let process = try check("nova.cmd.novncproxy:main")
    #expect(process["concurrency"] as? String == "eventlet", "\(process)")
    #expect(process["patched_by"] as? String == "service")
    let call = try #require(process["patch_call"] as? [String: Any])
    #expect((call["file"] as? String)?.hasSuffix("nova/monkey_patch.py") == true, "\(call)")
  }

  @Test("swift-proxy-server: serves /healthcheck, patched late by swift")
  func swiftProxy() throws {
    let proxy = try SwiftProxy(["run"])
    #expect(try HTTP.request("GET", port: proxy.port, path: "/healthcheck").contains("OK"))
    let result = proxy.stop()
    let text = result.stderrText
    #expect(text.contains("greenlight: eventlet, patched by the service at"), "\(text)")
    #expect(text.contains("swift/common/utils/__init__.py"), "\(text)")
  }
}
