import Testing

@testable import Greenlight

/// The pure parts of the python front end and of `greenlight test`: reading python's command
/// line, the settings children inherit, and merging the reports of many processes.
@Suite("front end and test model")
struct FrontEndModelTests {
  private func read(_ arguments: [String]) -> PythonCommandLine {
    PythonCommandLine(arguments.map { Array($0.utf8) })
  }

  @Test("python's command line names its target as CPython's getopt reads it")
  func commandLine() {
    #expect(read(["-m", "pytest", "-x"]) == .module("pytest"))
    #expect(read(["-mpytest"]) == .module("pytest"))
    #expect(read(["-u", "-B", "-m", "stestr", "run"]) == .module("stestr"))
    #expect(read(["-uc", "print(1)", "-m", "x"]) == .command("print(1)"))
    #expect(read(["-ucprint(2)"]) == .command("print(2)"))
    #expect(read(["-W", "error", "-X", "dev", "tests/run.py", "-m"]) == .file("tests/run.py"))
    #expect(read(["-Werror", "-Xutf8", "-"]) == .standardInput)
    #expect(read(["--", "-m"]) == .file("-m"))
    #expect(read(["--check-hash-based-pycs", "always", "f.py"]) == .file("f.py"))
    #expect(read(["-I", "-E", "-s", "-S", "-O", "-q"]) == .interactive)
    #expect(read([]) == .interactive)
    #expect(read(["-V"]) == .noRun)
    #expect(read(["--help"]) == .noRun)
    #expect(read(["-uh"]) == .noRun)
    #expect(read(["-c"]) == .noRun)
    #expect(read(["-m", "pkg.sub"]).package == "pkg")
    #expect(read(["-c", "x"]).label == "-c x")
  }

  @Test("settings come from GREENLIGHT_* and DISABLE_EVENTLET_PATCHING")
  func settings() throws {
    let defaults = try FrontEndSettings(environment: [:])
    #expect(defaults == FrontEndSettings(python: nil, patchMode: .auto, reportDirectory: nil))
    let given = try FrontEndSettings(environment: [
      "GREENLIGHT_PYTHON": "/v", "GREENLIGHT_PATCH": "target", "GREENLIGHT_REPORT_DIR": "/r",
    ])
    #expect(given == FrontEndSettings(python: "/v", patchMode: .target, reportDirectory: "/r"))
    let disabled = try FrontEndSettings(environment: ["DISABLE_EVENTLET_PATCHING": "1"])
    #expect(disabled.patchMode == .none)
    let named = try FrontEndSettings(environment: ["GREENLIGHT_SERVICE_PACKAGES": "nova,os_vif"])
    #expect(named.servicePackages == ["nova", "os_vif"])
    #expect(defaults.servicePackages.isEmpty)
    #expect(throws: LaunchError.self) {
      try FrontEndSettings(environment: ["GREENLIGHT_PATCH": "late"])
    }
  }

  @Test("the same finding from many processes is one finding with a count")
  func merge() {
    let driver = Finding(
      .blockingDatabaseDriver, message: "MySQLdb blocks.", subject: "MySQLdb",
      location: SourceLocation(file: "a.py", line: 3))
    let lock = Finding(
      .nativeLock, message: "native lock", subject: "m.LOCK",
      location: SourceLocation(file: "m.py", line: 1))
    let elsewhere = Finding(
      .blockingDatabaseDriver, message: "MySQLdb blocks.", subject: "MySQLdb",
      location: SourceLocation(file: "b.py", line: 9))
    let reports = [
      Report(version: "x", mode: "first", target: "-m pytest", findings: [driver, driver]),
      Report(version: "x", mode: "first", target: "-c ...", findings: [lock, driver]),
      Report(version: "x", mode: "first", target: "w", findings: [elsewhere]),
      Report(version: "x", mode: "first", target: "w", findings: []),
    ]
    let merged = ReportMerge.merge(reports, mode: "first", target: "-m pytest")
    #expect(merged.findings.map(\.subject) == ["MySQLdb", "m.LOCK", "MySQLdb"])
    #expect(merged.findings.map(\.processes) == [2, 1, 1])
    #expect(merged.target == "-m pytest")
    #expect(ReportMerge.merge([], mode: "none", target: "t").findings.isEmpty)
  }

  @Test("a refused import of the suite is kept once, counted, and never just 'no findings'")
  func mergeImportFailure() {
    let refusal = ImportFailure(
      exception: "RuntimeError", message: "eventlet library imported early",
      location: SourceLocation(file: "/v/nova/monkey_patch.py", line: 186))
    let reports = [
      Report(version: "x", mode: "first", target: "-m stestr run", findings: []),
      Report(
        version: "x", mode: "first", target: "-m subunit.run", findings: [],
        importFailure: refusal),
      Report(
        version: "x", mode: "first", target: "-m subunit.run", findings: [],
        importFailure: refusal),
    ]
    let merged = ReportMerge.merge(reports, mode: "first", target: "-m stestr run")
    #expect(merged.importFailure?.processes == 2)
    #expect(merged.importFailure?.location == refusal.location)
    let text = ReportRenderer.render(merged, as: .text, color: false)
    #expect(
      text.hasPrefix(
        "error the suite's tests failed to import at /v/nova/monkey_patch.py:186 (2 processes):"
          + " RuntimeError: eventlet library imported early\n"), "\(text)")
    #expect(!text.contains("greenlight: no findings\n") && !text.hasSuffix("no findings"))
    #expect(
      ReportMerge.merge(Array(reports.prefix(1)), mode: "first", target: "t").importFailure == nil)
    #expect(ServiceRefusal.sentence(forRefusalIn: "/v/nova/monkey_patch.py") != nil)
    #expect(ServiceRefusal.sentence(forRefusalIn: "/v/nova/utils.py") == nil)
  }

  @Test("the watch's settings travel to children and come back the same")
  func watchSettings() throws {
    let watch = WatchOptions(enabled: false, hubStallMilliseconds: 350)
    let settings = try FrontEndSettings(environment: FrontEndSettings.environment(for: watch))
    #expect(settings.watch == watch)
    #expect(try FrontEndSettings(environment: [:]).watch == WatchOptions())
    #expect(throws: LaunchError.self) {
      try FrontEndSettings(environment: ["GREENLIGHT_WATCH": "maybe"])
    }
    #expect(throws: LaunchError.self) {
      try FrontEndSettings(environment: ["GREENLIGHT_HUB_STALL_MS": "5"])
    }
  }

  @Test("a link named python* is the front end; its path is found as python finds its own")
  func links() throws {
    #expect(FrontEndLink.isFrontEndName("/x/python"))
    #expect(FrontEndLink.isFrontEndName("python3.11"))
    #expect(!FrontEndLink.isFrontEndName("/usr/bin/greenlight"))
    #expect(FrontEndLink.invokedPath("/a/b/python", path: nil) == "/a/b/python")
    #expect(FrontEndLink.invokedPath("python-no-such-name", path: "/nonexistent") == nil)
    #expect(FrontEndLink.invokedPath("sh", path: "/nonexistent:/bin") == "/bin/sh")
  }

  @Test("--compare's pytest: -p first, its JUnit XML last, the plugin's folder first on PYTHONPATH")
  func pytestOutcomeSource() throws {
    let source = try #require(
      OutcomeSource.forRunner(
        ["-m", "pytest", "-p", "no:cacheprovider", "--", "tests"], recordingTo: "/run/record-x"))
    #expect(
      source.arguments == [
        "-m", "pytest", "-p", "greenlight_pytest_starts", "-p", "no:cacheprovider", "--", "tests",
        "--junitxml=/run/record-x",
      ])
    #expect(source.pluginFolder == "/run/pytest-plugin")
    #expect(
      source.runnerEnvironment(["A=1", "PYTHONPATH=/p:/q"]) == [
        "A=1", "PYTHONPATH=/run/pytest-plugin:/p:/q",
        "GREENLIGHT_PYTEST_STARTS=/run/record-x.starts",
      ])
    #expect(
      source.runnerEnvironment(["PYTHONPATH="]) == [
        "PYTHONPATH=/run/pytest-plugin", "GREENLIGHT_PYTEST_STARTS=/run/record-x.starts",
      ])
    // Other runners load no plugin and keep their environment.
    let stestr = try #require(
      OutcomeSource.forRunner(["-m", "stestr", "run"], recordingTo: "/run/record-x"))
    #expect(stestr.pluginFolder == nil)
    #expect(stestr.runnerEnvironment(["PYTHONPATH=/p"]) == ["PYTHONPATH=/p"])
  }
}
