import Foundation
import Testing

/// `check` on a target whose import raises: python's traceback (or SystemExit's text), then
/// the report of what was seen until then, in every format, and exit 1 (130 for
/// KeyboardInterrupt); never a crash.
@Suite("check when the target's import fails")
struct CheckImportFailureTests {
  struct Case: CustomTestStringConvertible, Sendable {
    let kind: String
    let exception: String
    var status: Int32 = 1
    var testDescription: String { kind }
  }

  static let cases: [Case] = [
    Case(kind: "runtime", exception: "RuntimeError"),
    Case(kind: "exit-int", exception: "SystemExit"),
    Case(kind: "exit-zero", exception: "SystemExit"),
    Case(kind: "exit-none", exception: "SystemExit"),
    Case(kind: "exit-str", exception: "SystemExit"),
    Case(kind: "keyboard", exception: "KeyboardInterrupt", status: 130),
    Case(kind: "missing", exception: "ModuleNotFoundError"),
    Case(kind: "recursion", exception: "RecursionError"),
  ]

  static let modes = ["first", "target", "none"]
  private static let folder = Paths.fixture("hostile")

  @Test("python's traceback, then the text report; exit 1", arguments: cases, modes)
  func text(_ failure: Case, mode: String) throws {
    // eventlet's deprecation warning is python's to print only where the service imports
    // eventlet itself, so both run without it.
    let quiet = ["PYTHONWARNINGS": "ignore"]
    let result = try greenlight(
      ["check", "--python", Paths.venv, "--patch", mode, "raise_at_import.py", failure.kind],
      workingDirectory: Self.folder, environment: quiet)
    #expect(result.termination == .exited(failure.status), "\(result.stderrText)")
    if failure.kind != "recursion" {  // how deep python gets depends on the frames below
      let reference = try python(
        ["raise_at_import.py", failure.kind], workingDirectory: Self.folder, environment: quiet)
      #expect(result.stderrText.hasPrefix(reference.stderrText), "\(result.stderrText)")
    }
    #expect(result.stderrText.contains("error the target's import failed at raise_at_import.py:"))
    #expect(result.stderrText.contains(": \(failure.exception)"))
    #expect(result.stderrText.contains("greenlight: "))
    // The hazard made before the failure is reported.
    #expect(result.stderrText.contains(mode == "none" ? "GL601" : "GL103"), "\(result.stderrText)")
  }

  @Test("JSON and SARIF validate and say the import failed and where", arguments: modes)
  func formats(_ mode: String) throws {
    for format in ["json", "sarif"] {
      let result = try greenlight(
        [
          "check", "--python", Paths.venv, "--patch", mode, "--format", format,
          "raise_at_import.py", "runtime",
        ],
        workingDirectory: Self.folder)
      #expect(result.status == 1, "\(result.stderrText)")
      #expect(result.stderrText.contains("RuntimeError: the configuration could not be read"))
      try expectValid(result.stdout, as: format)
      let document = try JSONSerialization.jsonObject(with: Data(result.stdout)) as? [String: Any]
      if format == "json" {
        let failure = try #require(document?["importFailure"] as? [String: Any])
        #expect(failure["exception"] as? String == "RuntimeError")
        #expect(failure["message"] as? String == "the configuration could not be read")
        let location = try #require(failure["location"] as? [String: Any])
        #expect(location["file"] as? String == "raise_at_import.py")
        #expect(location["line"] as? Int == 18)
        #expect((document?["findings"] as? [Any])?.isEmpty == false)
      } else {
        let run = try #require((document?["runs"] as? [[String: Any]])?.first)
        let invocation = try #require((run["invocations"] as? [[String: Any]])?.first)
        #expect(invocation["executionSuccessful"] as? Bool == false)
        let notes = try #require(invocation["toolExecutionNotifications"] as? [[String: Any]])
        #expect(
          (notes.first?["message"] as? [String: Any])?["text"] as? String
            == "The target's import failed (RuntimeError: the configuration could not be read):"
            + " the results are what greenlight saw until then.")
        #expect(notes.first?["locations"] != nil)
      }
    }
  }

  @Test("a report file is written too, and a SyntaxError names its own file and line")
  func reportFileAndSyntaxError() throws {
    let scratch = try Paths.temporaryFolder()
    let file = scratch + "/report.json"
    let result = try greenlight(
      [
        "check", "--python", Paths.venv, "--format", "json", "--report-file", file,
        Paths.fixture("syntax_error.py"),
      ],
      workingDirectory: scratch)
    #expect(result.status == 1)
    #expect(result.stderrText.contains("SyntaxError"))
    let data = try #require(FileManager.default.contents(atPath: file))
    try expectValid(Array(data), as: "json")
    let document = try JSONSerialization.jsonObject(with: data) as? [String: Any]
    let failure = try #require(document?["importFailure"] as? [String: Any])
    #expect(failure["exception"] as? String == "SyntaxError")
    let location = try #require(failure["location"] as? [String: Any])
    #expect((location["file"] as? String)?.hasSuffix("syntax_error.py") == true)
    #expect(location["line"] != nil)
  }

  @Test("-m of a module that does not exist: one line as python's, no location, exit 1")
  func missingModule() throws {
    let result = try greenlight(
      ["check", "--python", Paths.venv, "--format", "json", "-m", "no_such_module_here"],
      workingDirectory: Self.folder)
    #expect(result.status == 1)
    #expect(
      result.stderrText.hasPrefix("ModuleNotFoundError: No module named 'no_such_module_here'\n"),
      "\(result.stderrText)")
    try expectValid(result.stdout, as: "json")
    let document = try JSONSerialization.jsonObject(with: Data(result.stdout)) as? [String: Any]
    let failure = try #require(document?["importFailure"] as? [String: Any])
    #expect(failure["exception"] as? String == "ModuleNotFoundError")
    #expect(failure["location"] == nil)
  }
}
