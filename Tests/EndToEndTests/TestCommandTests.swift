import Foundation
import Testing

/// `greenlight test` on Examples/suite: the runner and every child started with
/// sys.executable are patched first; one merged report; the runner's status and streams pass
/// through.
@Suite("greenlight test")
struct TestCommandTests {
  static let suite = Paths.examples + "/suite"

  private func test(
    _ arguments: [String], environment: [String: String] = [:], seconds: Double = 300
  ) throws -> ChildResult {
    try greenlight(
      ["test", "--python", Paths.venv] + arguments, workingDirectory: Self.suite,
      environment: environment, seconds: seconds)
  }

  @Test("the example suite passes, children patched first, one finding from two processes")
  func exampleSuite() throws {
    let result = try test(["--", "-m", "pytest", "-p", "no:cacheprovider"])
    #expect(result.status == 0, "\(result.stdoutText)\(result.stderrText)")
    #expect(result.stdoutText.contains("8 passed"), "\(result.stdoutText)")
    let report = result.stderrText
    #expect(report.contains("error GL301 blocking-db-driver"), "\(report)")
    #expect(report.contains("MySQLdb at tests/uses_mysqldb.py:3 (2 processes)"), "\(report)")
    #expect(report.components(separatedBy: "GL301").count == 2, "reported once: \(report)")
    // pytest, the spawn child (and its resource tracker), the sys.executable child, the
    // MySQLdb child.
    let processes = try #require(processCount(report))
    #expect(processes >= 4, "\(report)")
    // auto: the suite's code never patches, so greenlight patches first in every process.
    #expect(
      report.hasSuffix(
        "python processes of the run (--patch auto); \(processes) processes on eventlet, patched"
          + " by greenlight before the service's code.\n"), "\(report)")
  }

  @Test("plain python fails the same suite: nothing is patched")
  func plainPythonFails() throws {
    let result = try python(
      ["-m", "pytest", "-p", "no:cacheprovider", "-q"], workingDirectory: Self.suite,
      seconds: 300)
    #expect(result.status == 1)
    // The interleaving test may pass or fail with native threads; these three cannot pass.
    for test in [
      "test_children.py::ChildProcessTests::test_multiprocessing_spawn_child_is_patched_first",
      "test_children.py::ChildProcessTests::test_subprocess_with_sys_executable_is_patched_first",
      "test_green.py::GreenThreadTests::test_process_is_patched_first",
    ] {
      #expect(result.stdoutText.contains("FAILED tests/\(test)"), "\(result.stdoutText)")
    }
  }

  @Test("--strict fails a passing run on an error-level finding, after the runner")
  func strict() throws {
    let failing = try test(["--strict", "--", "-m", "pytest", "-p", "no:cacheprovider", "-q"])
    #expect(failing.status == 1)
    #expect(failing.stdoutText.contains("8 passed"))
    #expect(
      failing.stderrText.contains("--strict: the tests passed, but error-level findings remain."))

    let clean = try test(
      ["--strict", "--", "-m", "pytest", "-p", "no:cacheprovider", "-q"],
      environment: ["GREENLIGHT_EXAMPLE_CLEAN": "1"])
    #expect(clean.status == 0, "\(clean.stderrText)")
    #expect(clean.stdoutText.contains("6 passed, 2 skipped"), "\(clean.stdoutText)")
    // No error: a harness stall on a busy machine may still be an info finding.
    #expect(!clean.stderrText.contains("error GL"), "\(clean.stderrText)")
  }

  @Test("the runner's exit status passes through, also death by a signal")
  func exitStatus() throws {
    let three = try test(["--", "-c", "import sys; print('out'); sys.exit(3)"])
    #expect(three.status == 3)
    #expect(three.stdoutText == "out\n")
    let killed = try test(["--", "-c", "import os, signal; os.kill(os.getpid(), signal.SIGTERM)"])
    #expect(killed.termination == .signalled(SIGTERM), "\(killed.stderrText)")
    #expect(
      killed.stderrText.contains(
        "1 python process of the run (--patch auto); 1 process on eventlet, patched by"
          + " greenlight"), "\(killed.stderrText)")
  }

  @Test("unittest discover and a file as the runner")
  func otherRunners() throws {
    let unittest = try test(["--", "-m", "unittest", "discover", "-s", "tests", "-t", "."])
    #expect(unittest.status == 0, "\(unittest.stderrText)")
    #expect(unittest.stderrText.contains("Ran 8 tests"), "\(unittest.stderrText)")
    let file = try test(["--", "tests/patched.py"])
    #expect(file.status == 0)
    #expect(file.stdoutText.contains("\"thread\": true, \"socket\": true, \"time\": true"))
  }

  @Test("JUnit XML and a subunit stream pass through unchanged")
  func streams() throws {
    let folder = try Paths.temporaryFolder()
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let junit = try test(
      ["--", "-m", "pytest", "-p", "no:cacheprovider", "-q", "--junitxml", folder + "/junit.xml"])
    #expect(junit.status == 0)
    let xml = try String(contentsOfFile: folder + "/junit.xml", encoding: .utf8)
    #expect(xml.contains("tests=\"8\""), "\(xml)")
    #expect(xml.contains("failures=\"0\"") && xml.contains("errors=\"0\""))

    // The subunit v2 stream is binary on stdout: greenlight's report goes to stderr only.
    let subunit = try test(["--", "-m", "subunit.run", "discover", "-s", "tests", "-t", "."])
    #expect(subunit.status == 0, "\(subunit.stderrText)")
    let stats = try ChildProcess.run(
      Paths.venv + "/bin/subunit-stats", [], stdin: subunit.stdout, removing: ["VIRTUAL_ENV"])
    let words = stats.stdoutText.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    #expect(words.contains("Total tests: 8"), "\(stats.stdoutText)")
    #expect(words.contains("Passed tests: 8"), "\(stats.stdoutText)")
  }

  @Test("stestr run: its subunit workers are patched first")
  func stestr() throws {
    let folder = try Paths.temporaryFolder()
    defer { try? FileManager.default.removeItem(atPath: folder) }
    // stestr keeps its repository in the working directory: run a copy of the suite.
    let copy = folder + "/suite"
    try FileManager.default.copyItem(atPath: Self.suite, toPath: copy)
    let result = try greenlight(
      ["test", "--python", Paths.venv, "--", "-m", "stestr", "run"], workingDirectory: copy,
      seconds: 300)
    #expect(result.status == 0, "\(result.stdoutText)\(result.stderrText)")
    #expect(result.stdoutText.contains("Passed: 8"), "\(result.stdoutText)")
    // stestr itself, one worker per core (two or more here), and the tests' children.
    let processes = try #require(processCount(result.stderrText))
    #expect(processes >= 4, "\(result.stderrText)")
  }

  @Test("JSON report: valid, with the number of processes per finding")
  func jsonReport() throws {
    let folder = try Paths.temporaryFolder()
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let file = folder + "/report.json"
    let result = try test(
      [
        "--format", "json", "--report-file", file, "--", "-m", "pytest", "-p", "no:cacheprovider",
        "-q",
      ])
    #expect(result.status == 0)
    let data = try Data(contentsOf: URL(fileURLWithPath: file))
    try expectValid(Array(data), as: "json")
    let text = String(decoding: data, as: UTF8.self)
    #expect(text.contains("\"processes\" : 2"), "\(text)")
    #expect(text.contains("\"target\" : \"-m pytest -p no:cacheprovider -q\""))

    let sarif = folder + "/report.sarif"
    let sarifRun = try test(["--format", "sarif", "--report-file", sarif, "--", "tests/patched.py"])
    #expect(sarifRun.status == 0)
    try expectValid(Array(try Data(contentsOf: URL(fileURLWithPath: sarif))), as: "sarif")
  }

  @Test("--format json without --report-file is a usage error: stdout is the runner's")
  func jsonNeedsFile() throws {
    let result = try test(["--format", "json"])
    #expect(result.status == 64)
    #expect(result.stderrText.contains("--format json needs --report-file"), "\(result.stderrText)")
  }

  @Test("--no-patch: nothing is patched, forkserver children go through the front end")
  func noPatch() throws {
    let code = """
      import multiprocessing, sys, threading
      def child(q):
          import sys, threading
          q.put((sys.executable, threading.Lock.__module__))
      if __name__ == '__main__':
          ctx = multiprocessing.get_context('forkserver')
          q = ctx.Queue()
          p = ctx.Process(target=child, args=(q,))
          p.start()
          executable, lock = q.get(timeout=60)
          p.join(60)
          print(executable == sys.executable, lock, threading.Lock.__module__)
      """
    let folder = try Paths.temporaryFolder()
    defer { try? FileManager.default.removeItem(atPath: folder) }
    try code.write(toFile: folder + "/forkserver_child.py", atomically: true, encoding: .utf8)
    let result = try greenlight(
      ["test", "--python", Paths.venv, "--no-patch", "--", "forkserver_child.py"],
      workingDirectory: folder)
    #expect(result.status == 0, "\(result.stderrText)")
    #expect(result.stdoutText == "True _thread _thread\n")
    // The script, the forkserver and the resource tracker, all started with sys.executable.
    let processes = try #require(processCount(result.stderrText))
    #expect(processes >= 3, "\(result.stderrText)")
    #expect(
      result.stderrText.hasSuffix(
        "of the run (--patch none); 3 processes on native threads,"
          + " nothing patched.\n"), "\(result.stderrText)")
  }

  @Test("pytest-xdist workers are patched first and run; with monkey_patch alone they die")
  func xdist() throws {
    let arguments = ["-m", "pytest", "-p", "no:cacheprovider", "-q", "-n", "2"]
    let result = try test(["--"] + arguments, environment: ["GREENLIGHT_EXAMPLE_CLEAN": "1"])
    #expect(result.status == 0, "\(result.stdoutText)\(result.stderrText)")
    #expect(result.stdoutText.contains("6 passed, 2 skipped"), "\(result.stdoutText)")
    // pytest, two workers, and the children of the tests the workers ran.
    let processes = try #require(processCount(result.stderrText))
    #expect(processes >= 5, "\(result.stderrText)")

    // eventlet's green os.write waits on the hub for execnet's /dev/null stdout, and epoll
    // refuses it: the workers crash (pytest's internal error, exit 3).
    let reference = try python(
      arguments, workingDirectory: Self.suite,
      environment: ["PYTHONPATH": Paths.fixture("patched_startup")], seconds: 300)
    #expect(reference.status == 3, "\(reference.stdoutText)")
  }

  @Test("reads and writes on /dev/null do not wait on the hub; pipes still do")
  func devices() throws {
    let code = """
      import os, eventlet.green.os as green
      fd = os.open('/dev/null', os.O_WRONLY)
      print(os.write(fd, b'x'), os.write is green.write)
      with os.fdopen(os.open('/dev/null', os.O_RDONLY), 'rb') as f:
          print(f.read())
      r, w = os.pipe()
      eventlet_ticks = []
      import eventlet
      eventlet.spawn(lambda: (eventlet_ticks.append(1), os.write(w, b'late')))
      print(os.read(r, 4), eventlet_ticks)
      """
    let result = try greenlight(["run", "--python", Paths.venv, "-c", code])
    #expect(result.status == 0, "\(result.stderrText)")
    #expect(result.stdoutText == "1 True\nb''\nb'late' [1]\n")
  }

  /// The number in "greenlight: N python processes of the run".
  private func processCount(_ report: String) -> Int? {
    guard let line = report.split(separator: "\n").last(where: { $0.contains("of the run") })
    else { return nil }
    return Int(line.split(separator: " ")[1])
  }
}
