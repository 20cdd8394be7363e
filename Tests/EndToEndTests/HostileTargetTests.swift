import Foundation
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// A target of our own that does something hostile during its import, and what greenlight
/// must do with it besides never crashing and never hanging.
struct HostileTarget: CustomTestStringConvertible, Sendable {
  /// The fixture, relative to Fixtures/hostile, and its arguments.
  let arguments: [String]
  /// How `check` ends: 0 or 1 with a report, unless the target itself ends the process
  /// (`os._exit`, a crash) or raises KeyboardInterrupt (130).
  var check: Set<Termination> = [.exited(0), .exited(1)]
  /// Whether python itself ends this target when it runs it (a target that patches from a
  /// thread leaves eventlet's hub waiting at exit, under python as under greenlight): the
  /// commands that run it are compared with python only where it does.
  var pythonEnds = true
  /// Text that check's stderr must hold (what the target prints at exit, for example).
  var checkSays: [String] = []
  /// Text that check's JSON report must hold.
  var reportSays: [String] = []

  var testDescription: String { arguments.joined(separator: " ") }

  init(
    _ arguments: String..., check: Set<Termination> = [.exited(0), .exited(1)],
    pythonEnds: Bool = true, checkSays: [String] = [], reportSays: [String] = []
  ) {
    self.arguments = arguments
    self.check = check
    self.pythonEnds = pythonEnds
    self.checkSays = checkSays
    self.reportSays = reportSays
  }
}

extension Termination: Hashable {
  func hash(into hasher: inout Hasher) { hasher.combine(description) }
}

/// The corpus of hostile targets, run through `run`, `check`, `test` and `debug` in every
/// patch mode: `run` exits and prints as python does, byte for byte; `check` ends as
/// documented with a report that parses; nothing dies by a signal unless python does; all
/// of it ends within a bounded time.
@Suite("hostile targets")
struct HostileTargetTests {
  static let corpus: [HostileTarget] = [
    HostileTarget("raise_at_import.py", "runtime"),
    HostileTarget("raise_at_import.py", "exit-int"),
    HostileTarget("raise_at_import.py", "exit-zero"),
    HostileTarget("raise_at_import.py", "exit-str"),
    HostileTarget("raise_at_import.py", "keyboard", check: [.exited(130)]),
    HostileTarget("raise_at_import.py", "missing"),
    HostileTarget("raise_at_import.py", "recursion"),
    HostileTarget("../syntax_error.py"),
    HostileTarget(
      "excepthook_raise.py",
      checkSays: ["the service's excepthook: RuntimeError: the configuration could not be read"]),
    HostileTarget(
      "os_exit_at_import.py", check: [.exited(1)],
      reportSays: [
        #""exception" : "os._exit""#,
        #""message" : "the process ended with status 7 during the import""#,
      ]),
    HostileTarget("../crash.py", "segfault", check: [.signalled(SIGSEGV)]),
    HostileTarget("close_stdout.py"),
    HostileTarget("close_stderr.py"),
    HostileTarget("sys_modules_tampered.py"),
    HostileTarget("hostile_objects.py", checkSays: ["calls at exit: []"]),
    HostileTarget("huge_containers.py"),
    HostileTarget("recursion_limit.py"),
    HostileTarget("thread_left_running.py"),
    HostileTarget("patch_from_thread.py", pythonEnds: false),
    HostileTarget("patch_twice.py"),
    HostileTarget("patch_from_audit_hook.py"),
    HostileTarget("tracer_raises.py", "trace"),
    HostileTarget("tracer_raises.py", "profile"),
    HostileTarget("audit_hook_raises.py"),
  ]

  static let modes = ["first", "target", "none"]
  static let folder = Paths.fixture("hostile")
  /// Long enough for the largest target on a loaded machine; a hang is what it catches.
  static let bound: Double = 90

  @Test("run: the same status, stdout and stderr as python", arguments: corpus, modes)
  func run(_ target: HostileTarget, mode: String) throws {
    guard target.pythonEnds else { return }
    let scratch = try Paths.temporaryFolder()
    let reportFile = scratch + "/report.jsonl"
    let actual = try greenlight(
      [
        "run", "--python", Paths.venv, "--patch", mode, "--format", "json", "--report-file",
        reportFile,
      ]
        + target.arguments,
      workingDirectory: Self.folder, seconds: Self.bound)
    let expected = try reference(target, mode: mode)
    #expect(actual.termination == expected.termination, "\(actual.stderrText)")
    #expect(actual.stdoutText == expected.stdoutText)
    #expect(actual.stderrText == expected.stderrText)
    #expect(actual.stdout == expected.stdout && actual.stderr == expected.stderr)
    // Whatever the report file holds is whole JSON lines.
    if let data = FileManager.default.contents(atPath: reportFile) {
      let text = String(decoding: data, as: UTF8.self)
      for line in text.split(separator: "\n") {
        #expect(
          (try? JSONSerialization.jsonObject(with: Data(line.utf8))) != nil, "\(line)")
      }
    }
  }

  @Test("check: a report that parses, and the documented status", arguments: corpus, modes)
  func check(_ target: HostileTarget, mode: String) throws {
    let result = try greenlight(
      ["check", "--python", Paths.venv, "--patch", mode, "--format", "json"] + target.arguments,
      workingDirectory: Self.folder, seconds: Self.bound)
    #expect(target.check.contains(result.termination), "\(result.stderrText)")
    for text in target.checkSays {
      #expect(result.stderrText.contains(text), "\(result.stderrText)")
    }
    for text in target.reportSays {
      #expect(result.stdoutText.contains(text), "\(result.stdoutText)")
    }
    #expect(!result.stderrText.contains("inspection failed"), "\(result.stderrText)")
    guard case .exited(let status) = result.termination, status == 0 || status == 1 || status == 130
    else {
      // The target ended the process itself: python's output, no report of greenlight's.
      #expect(result.stdout.isEmpty, "\(result.stdoutText)")
      #expect(!result.stderrText.contains("greenlight"), "\(result.stderrText)")
      return
    }
    let document = try JSONSerialization.jsonObject(with: Data(result.stdout)) as? [String: Any]
    #expect(document?["findings"] is [Any], "\(result.stdoutText)")
    // A clean exit means a complete import; KeyboardInterrupt is a failed one.
    let failed = document?["importFailure"] != nil
    if status == 0 { #expect(!failed, "\(result.stdoutText)") }
    if status == 130 { #expect(failed, "\(result.stdoutText)") }
  }

  @Test("test: the runner ends as python does", arguments: corpus, modes)
  func test(_ target: HostileTarget, mode: String) throws {
    guard target.pythonEnds else { return }
    let actual = try greenlight(
      ["test", "--python", Paths.venv, "--patch", mode, "--"] + target.arguments,
      workingDirectory: Self.folder, seconds: Self.bound)
    let expected = try reference(target, mode: mode)
    #expect(actual.termination == expected.termination, "\(actual.stderrText)")
    #expect(actual.stdoutText == expected.stdoutText)
  }

  @Test("debug: ends as python patched first does", arguments: corpus)
  func debug(_ target: HostileTarget) throws {
    guard target.pythonEnds else { return }
    let actual = try greenlight(
      ["debug", "--python", Paths.venv] + target.arguments, workingDirectory: Self.folder,
      seconds: Self.bound)
    let expected = try reference(target, mode: "first")
    #expect(actual.termination == expected.termination, "\(actual.stderrText)")
    #expect(actual.stdoutText == expected.stdoutText)
  }

  @Test("a target that patches from a thread: check ends, and so does run --patch first")
  func patchFromThread() throws {
    let first = try greenlight(
      ["run", "--python", Paths.venv, "--patch", "first", "patch_from_thread.py"],
      workingDirectory: Self.folder,
      seconds: Self.bound)
    #expect(first.status == 0, "\(first.stderrText)")
    #expect(first.stdoutText == "patched from a thread: [True]\n")
  }

  @Test("a start-up that makes sys.meta_path a tuple: one sentence and 70, never a crash")
  func metaPathTuple() throws {
    let startup = ["PYTHONPATH": Self.folder + "/tuple_meta_path"]
    for command in [
      ["check", "--python", Paths.venv, "recursion_limit.py"],
      ["run", "--python", Paths.venv, "--patch", "target", "recursion_limit.py"],
      ["python", "-c", "print(1)"],
    ] {
      let result = try greenlight(
        command, workingDirectory: Self.folder,
        environment: startup.merging(["GREENLIGHT_PYTHON": Paths.venv]) { $1 },
        seconds: Self.bound)
      #expect(result.termination == .exited(70), "\(command): \(result.stderrText)")
      #expect(
        result.stderrText.hasSuffix(
          "greenlight: error: greenlight's observation failed: AttributeError: 'tuple' object"
            + " has no attribute 'insert'\n"), "\(result.stderrText)")
    }
  }

  /// What the venv's python does with the target: patched at start-up for `first` (the
  /// compatibility tests' sitecustomize), plain otherwise.
  private func reference(_ target: HostileTarget, mode: String) throws -> ChildResult {
    let startup = mode == "first" ? ["PYTHONPATH": Paths.fixture("patched_startup")] : [:]
    return try python(
      target.arguments, workingDirectory: Self.folder, environment: startup,
      seconds: Self.bound)
  }
}
