import Foundation
import Testing

/// Services that fight greenlight's own machinery: finalizers that re-enter the audit hook,
/// objects whose `__repr__` or metaclass raise, namespaces too large to walk. greenlight
/// must behave as python does with them, and its scans must not run the service's code.
@Suite("hostile services")
struct HostileServiceTests {
  private static let folder = Paths.fixture("hostile")

  private func run(_ arguments: [String], seconds: Double = 120) throws -> ChildResult {
    try greenlight(arguments, workingDirectory: Self.folder, seconds: seconds)
  }

  @Test(
    "a finalizer that re-enters the audit hook while it records: the service ends as in python",
    arguments: [
      ["check", "--python", Paths.venv],
      ["run", "--python", Paths.venv, "--patch", "target"],
      ["run", "--python", Paths.venv, "--patch", "first"],
    ])
  func reentrantHook(_ command: [String]) throws {
    let reference = try python(["observe_reentry.py"], workingDirectory: Self.folder)
    #expect(reference.status == 0)
    let result = try run(command + ["observe_reentry.py"])
    #expect(result.termination == .exited(0), "\(result.stderrText.suffix(2000))")
    #expect(result.stdoutText == reference.stdoutText)
  }

  @Test("one GL401 per line that installs a tracer, however often it runs")
  func oneTracerFindingPerLine() throws {
    let result = try run(["check", "--python", Paths.venv, "observe_reentry.py"])
    #expect(result.status == 0, "\(result.stderrText.suffix(2000))")
    let text = result.stderrText
    #expect(text.components(separatedBy: "GL401 tracer-with-green-threads").count == 3, "\(text)")
    #expect(
      text.contains(
        "sys.setprofile was called while threads are green (20000 calls from this line)"),
      "\(text)")
    #expect(text.contains("sys.settrace was called while threads are green: "), "\(text)")
  }

  private func check(_ file: String, seconds: Double = 120) throws -> ChildResult {
    try run(["check", "--python", Paths.venv, "--patch", "target", file], seconds: seconds)
  }

  @Test("a dict key whose __repr__ raises: GL108 for its lock and for the next, never its repr")
  func raisingRepr() throws {
    let result = try check("scan_repr_key.py")
    #expect(result.status == 1)
    let text = result.stderrText
    #expect(!text.contains("inspection failed"), "\(text)")
    #expect(!text.contains("Key.__repr__ ran"))
    #expect(text.contains("error GL108 native-lock: scan_repr_key.TABLE[<Key>] is a native lock"))
    #expect(text.contains("error GL108 native-lock: scan_repr_key.SECOND is a native lock"))
  }

  @Test("run --strict refuses a service whose lock sits behind a raising __repr__: exit 65")
  func raisingReprStrict() throws {
    let result = try run([
      "run", "--python", Paths.venv, "--patch", "target", "--strict", "scan_repr_key.py",
    ])
    #expect(result.status == 65, "\(result.stderrText)")
    #expect(result.stdout.isEmpty, "the service did not go on past its monkey_patch")
    // run executes the file as __main__.
    #expect(result.stderrText.contains("GL108 native-lock: __main__.TABLE[<Key>] is a native lock"))
    #expect(result.stderrText.contains("GL108 native-lock: __main__.SECOND is a native lock"))
  }

  @Test("a metaclass whose __getattribute__ raises is never called; its class's lock is found")
  func metaclass() throws {
    let result = try check("scan_metaclass.py")
    #expect(result.status == 1)
    #expect(!result.stderrText.contains("Meta.__getattribute__ ran"), "\(result.stderrText)")
    #expect(
      result.stderrText.contains(
        "error GL108 native-lock: scan_metaclass.Guarded._guard is a native lock"))
  }

  @Test("inline instance attributes are read without materialising any instance's __dict__")
  func inlineAttributes() throws {
    let result = try check("scan_inline_dicts.py")
    #expect(result.status == 1)
    #expect(
      result.stderrText.contains(
        "error GL108 native-lock: scan_inline_dicts.SERVICES[0].lock is a native lock"),
      "\(result.stderrText)")
    #expect(result.stdoutText == "patched\nmaterialised instance dicts: 0\n")
  }

  @Test("ten million list items and a million instances: the normal report, no dict made")
  func breadth() throws {
    let result = try check("scan_breadth.py", seconds: 600)
    #expect(result.termination == .exited(1), "not killed by the bound against hangs")
    #expect(
      result.stderrText.contains("error GL108 native-lock: scan_breadth.LOCK is a native lock"),
      "\(result.stderrText)")
    // No GL201 info: greenlight completes the service's full patch (subprocess included).
    #expect(result.stderrText.hasSuffix("greenlight: 2 errors, 2 warnings\n"))
    #expect(result.stdoutText == "patched\nmaterialised instance dicts: 0\n")
  }

  @Test("an object standing in for a module in sys.modules: its __getattribute__ never runs")
  func moduleStandIn() throws {
    let reference = try python(
      ["-W", "ignore", "scan_module_proxy.py"], workingDirectory: Self.folder)
    #expect(reference.stderrText.isEmpty, "eventlet alone asks only for __dict__ and __class__")
    let result = try check("scan_module_proxy.py")
    #expect(result.status == 1)
    #expect(!result.stderrText.contains("LazyModule.__getattribute__"), "\(result.stderrText)")
    #expect(
      result.stderrText.contains("error GL108 native-lock: scan_module_proxy.LOCK is a native lock")
    )
  }
}
