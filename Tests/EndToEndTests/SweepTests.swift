import Foundation
import Synchronization
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// A sweep of real code nobody here wrote: every top-level module installed in the test venv
/// and in the sweep's venv (nova 34 and swift 2.38 from PyPI with all they pull in,
/// `requirements-sweep.txt`) is a `check -m` target in each patch mode. None may kill greenlight by a signal that
/// python's own import of it does not, none may hang, and each ends 0 or 1 with a report that
/// parses.
@Suite("a sweep of installed modules", .serialized)
struct SweepTests {
  static let sweepVenv = Paths.root + "/.venv-sweep"
  /// Far above any import seen here; what it catches is a hang.
  static let bound: Double = 180

  /// The top-level modules and packages of a venv's site-packages.
  static func modules(of venv: String) throws -> [String] {
    let listing = try ChildProcess.run(
      venv + "/bin/python",
      [
        "-c",
        "import pkgutil, sysconfig; paths = sysconfig.get_paths();"
          + " print('\\n'.join(sorted({m.name for m in pkgutil.iter_modules("
          + "[paths['purelib'], paths['platlib']])})))",
      ].map { Array($0.utf8) })
    return listing.stdoutText.split(separator: "\n").map(String.init)
  }

  @Test(
    "check -m of every installed module ends 0 or 1 with a report, in each patch mode",
    arguments: [Paths.venv, sweepVenv])
  func sweep(_ venv: String) throws {
    try #require(
      FileManager.default.fileExists(atPath: venv + "/bin/python"), "make test makes \(venv)")
    let modules = try Self.modules(of: venv)
    #expect(modules.count > 40, "\(modules)")
    let scratch = try Paths.temporaryFolder()
    let outcomes = Mutex<[String: [String]]>([:])
    let problems = Mutex<[String]>([])
    // Two at a time: Swift Testing's expectations stay on this test's own task, so the
    // workers only collect what they saw.
    try forEachConcurrently(Self.cases(modules), width: 2) { (module, mode) in
      let result = try ChildProcess.run(
        Paths.greenlight,
        ["check", "--python", venv, "--patch", mode, "--format", "json", "-m", module]
          .map { Array($0.utf8) },
        workingDirectory: scratch, removing: ["VIRTUAL_ENV"], seconds: Self.bound)
      let (outcome, problem) = try Self.judge(result, venv: venv, module: module, mode: mode)
      outcomes.withLock { $0[outcome, default: []].append("\(module) (\(mode))") }
      if let problem { problems.withLock { $0.append(problem) } }
    }
    let found = outcomes.withLock { $0 }
    var summary =
      "sweep of \(venv): \(modules.count) modules × \(PatchModeNames.all.count) patch modes: "
      + found.sorted { $0.key < $1.key }.map { "\($0.value.count) \($0.key)" }
      .joined(separator: ", ")
    for (outcome, runs) in found.sorted(by: { $0.key < $1.key }) where outcome != "clean" {
      summary += "\n  \(outcome): " + runs.sorted().joined(separator: ", ")
    }
    print(summary)
    #expect(found.values.map(\.count).reduce(0, +) == modules.count * PatchModeNames.all.count)
    for problem in problems.withLock({ $0 }) {
      Issue.record(Comment(rawValue: problem))
    }
  }

  private static func cases(_ modules: [String]) -> [(String, String)] {
    modules.flatMap { module in PatchModeNames.all.map { (module, $0) } }
  }

  /// Names one run's outcome for the summary, and what is wrong with it, if anything.
  private static func judge(
    _ result: ChildResult, venv: String, module: String, mode: String
  ) throws -> (String, String?) {
    let label = "check --patch \(mode) -m \(module)"
    guard case .exited(let status) = result.termination else {
      // Only where python's own import of the module dies by the same signal.
      let plain = try ChildProcess.run(
        venv + "/bin/python", ["-c", "import \(module)"].map { Array($0.utf8) },
        seconds: bound)
      guard plain.termination == result.termination else {
        return ("deaths", "\(label): \(result.termination)\n\(result.stderrText)")
      }
      return ("died as python does", nil)
    }
    guard status == 0 || status == 1 else {
      return ("other statuses", "\(label): exit \(status)\n\(result.stderrText)")
    }
    if result.stderrText.contains("inspection failed") {
      return ("inspection failures", "\(label): \(result.stderrText)")
    }
    guard
      let document = try? JSONSerialization.jsonObject(with: Data(result.stdout))
        as? [String: Any],
      document["findings"] is [Any]
    else { return ("unreadable reports", "\(label): \(result.stdoutText)") }
    if document["importFailure"] != nil { return ("import failures", nil) }
    return (status == 0 ? "clean" : "with error findings", nil)
  }
}

/// The patch modes, as the command line spells them.
enum PatchModeNames {
  static let all = ["first", "target", "none"]
}

/// Runs `body` for each element, `width` at a time, and rethrows the first error.
func forEachConcurrently<Element: Sendable>(
  _ elements: [Element], width: Int, _ body: @escaping @Sendable (Element) throws -> Void
) throws {
  let next = Mutex(0)
  let failure = Mutex<(any Error)?>(nil)
  let group = DispatchGroup()
  for _ in 0..<width {
    group.enter()
    Thread.detachNewThread {
      defer { group.leave() }
      while true {
        let index = next.withLock { index -> Int in
          defer { index += 1 }
          return index
        }
        guard index < elements.count else { return }
        do { try body(elements[index]) } catch { failure.withLock { $0 = $0 ?? error } }
      }
    }
  }
  group.wait()
  if let error = failure.withLock({ $0 }) { throw error }
}
