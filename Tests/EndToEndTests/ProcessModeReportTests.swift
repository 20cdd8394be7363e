import Foundation
import Testing

/// Every report says which mode the process ran in and who decided, derived from what
/// happened: check and run in each patch mode, on services that patch early, late, never, and
/// under `--patch none` anyway.
@Suite("the process's mode in check's and run's reports")
struct ProcessModeReportTests {
  private static let folder = Paths.fixture("check")

  private func check(_ arguments: [String]) throws -> ChildResult {
    try greenlight(
      ["check", "--python", Paths.venv] + arguments, workingDirectory: Self.folder)
  }

  /// The JSON report's `process` object, after validating the whole report.
  private func process(_ json: [UInt8]) throws -> [String: Any] {
    try expectValid(json, as: "json")
    let report = try JSONSerialization.jsonObject(with: Data(json)) as? [String: Any]
    return try #require(
      report?["process"] as? [String: Any], "\(String(decoding: json, as: UTF8.self))")
  }

  @Test(
    "check --format json: concurrency, patched_by and the service's call site",
    arguments: [
      ("first", "early.py", "eventlet", "greenlight", nil),
      ("target", "early.py", "eventlet", "service", "early.py:4"),
      ("target", "late.py", "eventlet", "service", "late.py:28"),
      ("target", "native.py", "native", nil, nil),
      ("none", "native.py", "native", nil, nil),
      ("none", "early.py", "eventlet", "service", "early.py:4"),
    ] as [(String, String, String, String?, String?)])
  func checkJSON(
    _ mode: String, _ file: String, _ concurrency: String, _ patcher: String?, _ site: String?
  ) throws {
    let result = try check(["--patch", mode, "--format", "json", file])
    let process = try process(result.stdout)
    #expect(process["concurrency"] as? String == concurrency)
    #expect(process["patched_by"] as? String == patcher)
    #expect(process.keys.contains("patched_by"), "null, not absent")
    let call = process["patch_call"] as? [String: Any]
    if let site {
      let place = "\(call?["file"] as? String ?? "?"):\(call?["line"] as? Int ?? 0)"
      #expect(place == site)
      #expect(call?["call"] as? String == "eventlet.monkey_patch()")
    } else {
      #expect(call == nil)
    }
  }

  @Test(
    "check's text report has the line just before the summary",
    arguments: [
      (
        "first", "early.py", "greenlight: eventlet, patched by greenlight before the service's code"
      ),
      (
        "target", "late.py",
        "greenlight: eventlet, patched by the service at late.py:28 (eventlet.monkey_patch())"
      ),
      ("target", "native.py", "greenlight: native threads: nothing patched"),
      ("none", "native.py", "greenlight: native threads: nothing patched"),
      (
        "none", "early.py",
        "greenlight: eventlet, patched by the service at early.py:4 (eventlet.monkey_patch())"
      ),
    ])
  func checkText(_ mode: String, _ file: String, _ expected: String) throws {
    let result = try check(["--patch", mode, file])
    let lines = result.stderrText.split(separator: "\n").map(String.init)
    #expect(lines.suffix(2).first == expected, "\(result.stderrText)")
    #expect(lines.last?.hasPrefix("greenlight: ") == true)
  }

  @Test("a partial call is named as spelled")
  func spelled() throws {
    let result = try check(["--patch", "target", "--format", "json", "partial.py"])
    let call = try process(result.stdout)["patch_call"] as? [String: Any]
    #expect(call?["call"] as? String == "eventlet.monkey_patch(os=False, thread=False)")
    #expect(call?["file"] as? String == "partial.py")
  }

  @Test("-v says the same line")
  func verbose() throws {
    let result = try check(["-v", "--patch", "target", "late.py"])
    #expect(
      result.stderrText.contains(
        "greenlight: process    eventlet, patched by the service at late.py:28"
          + " (eventlet.monkey_patch())\n"), "\(result.stderrText)")
  }

  @Test("SARIF carries the mode as run properties, and validates")
  func sarif() throws {
    let result = try check(["--patch", "target", "--format", "sarif", "late.py"])
    try expectValid(result.stdout, as: "sarif")
    let log = try JSONSerialization.jsonObject(with: Data(result.stdout)) as? [String: Any]
    let runs = try #require(log?["runs"] as? [[String: Any]])
    let properties = try #require(runs.first?["properties"] as? [String: Any])
    #expect(properties["concurrency"] as? String == "eventlet")
    #expect(properties["patchedBy"] as? String == "service")
    let call = properties["patchCall"] as? [String: Any]
    #expect(call?["file"] as? String == "late.py")
    #expect(call?["line"] as? Int == 28)
    let native = try check(["--patch", "none", "--format", "sarif", "native.py"])
    try expectValid(native.stdout, as: "sarif")
    #expect(native.stdoutText.contains("\"patchedBy\" : null"))
  }

  /// The first line of run's JSON-lines report file, as an object.
  private func runFirstLine(_ mode: String, _ file: String) throws -> [String: Any] {
    let scratch = try Paths.temporaryFolder()
    let path = scratch + "/run.jsonl"
    let result = try greenlight(
      [
        "run", "--python", Paths.venv, "--patch", mode, "--format", "json", "--report-file",
        path, file,
      ], workingDirectory: Self.folder)
    #expect(result.status == 0, "\(result.stderrText)")
    let text = try String(contentsOfFile: path, encoding: .utf8)
    let first = try #require(text.split(separator: "\n").first)
    try expectValid(Array(first.utf8), as: "json")
    let report = try JSONSerialization.jsonObject(with: Data(first.utf8)) as? [String: Any]
    return try #require(report?["process"] as? [String: Any], "\(text)")
  }

  @Test("run's report file: the mode on its first line")
  func runReportFile() throws {
    let first = try runFirstLine("first", "early.py")
    #expect(first["concurrency"] as? String == "eventlet")
    #expect(first["patched_by"] as? String == "greenlight")
    // target: the report is made when the service's own monkey_patch returns.
    let target = try runFirstLine("target", "late.py")
    #expect(target["concurrency"] as? String == "eventlet")
    #expect(target["patched_by"] as? String == "service")
    #expect((target["patch_call"] as? [String: Any])?["line"] as? Int == 28)
    // none: the report is made at hand-off, before any code of the service runs.
    let none = try runFirstLine("none", "native.py")
    #expect(none["concurrency"] as? String == "native")
    #expect(none.keys.contains("patched_by") && none["patched_by"] is NSNull)
  }

  @Test("run -v says the mode at the report's moment")
  func runVerbose() throws {
    let first = try greenlight(
      ["run", "-v", "--python", Paths.venv, "early.py"], workingDirectory: Self.folder)
    #expect(first.status == 0)
    #expect(
      first.stderrText.contains(
        "greenlight: process    eventlet, patched by greenlight before the service's code\n"))
    let target = try greenlight(
      ["run", "-v", "--python", Paths.venv, "--patch", "target", "late.py"],
      workingDirectory: Self.folder)
    #expect(
      target.stderrText.contains(
        "greenlight: process    eventlet, patched by the service at late.py:28"
          + " (eventlet.monkey_patch())\n"), "\(target.stderrText)")
    #expect(
      target.stderrText.contains(
        "greenlight: eventlet, patched by the service at late.py:28 (eventlet.monkey_patch())\n"
          + "greenlight: 5 errors"), "the report's line: \(target.stderrText)")
    let never = try greenlight(
      ["run", "-v", "--python", Paths.venv, "--patch", "target", "native.py"],
      workingDirectory: Self.folder)
    #expect(never.status == 0)
    #expect(
      never.stderrText.contains("greenlight: process    native threads: nothing patched"),
      "\(never.stderrText)")
  }

  @Test("greenlight test: the merged report counts the processes on eventlet and native")
  func merged() throws {
    let scratch = try Paths.temporaryFolder()
    let file = scratch + "/r.json"
    let green = try greenlight(
      [
        "test", "--python", Paths.venv, "--format", "json", "--report-file", file, "--", "-c",
        "pass",
      ], workingDirectory: scratch)
    #expect(green.status == 0, "\(green.stderrText)")
    let process = try process(Array(try Data(contentsOf: URL(fileURLWithPath: file))))
    #expect(process["concurrency"] as? String == "eventlet")
    #expect(process["patched_by"] as? String == "greenlight")
    let counts = process["processes"] as? [String: Int]
    #expect(counts == ["eventlet": 1, "native": 0])
    let native = try greenlight(
      ["test", "--python", Paths.venv, "--no-patch", "--", "-c", "pass"],
      workingDirectory: scratch)
    #expect(
      native.stderrText.hasSuffix(
        "greenlight: 1 process on native threads, nothing patched\ngreenlight: no findings\n"
          + "greenlight: 1 python process of the run (--patch none); 1 process on native"
          + " threads, nothing patched.\n"), "\(native.stderrText)")
  }

  @Test(
    "nova 34's console proxy patches itself in nova/monkey_patch.py",
    .enabled(if: FileManager.default.fileExists(atPath: Paths.root + "/.venv-sweep/bin/python")))
  func nova() throws {
    let scratch = try Paths.temporaryFolder()
    let result = try greenlight(
      [
        "check", "--patch", "target", "--python", Paths.root + "/.venv-sweep", "--format",
        "json", "--entry", "nova.cmd.novncproxy:main",
      ], workingDirectory: scratch, seconds: 300)
    let process = try process(result.stdout)
    #expect(process["concurrency"] as? String == "eventlet")
    #expect(process["patched_by"] as? String == "service")
    let call = try #require(process["patch_call"] as? [String: Any])
    #expect((call["file"] as? String)?.hasSuffix("nova/monkey_patch.py") == true, "\(call)")
    #expect((call["call"] as? String)?.hasPrefix("eventlet.monkey_patch(") == true)
  }
}
