import Foundation
import Testing

/// Shell completion as the binary under test generates and answers it: the scripts call
/// back for `--script`, and the callback lists the console scripts of the venv in reach.
@Suite("shell completion")
struct CompletionTests {
  @Test("bash, zsh and fish scripts call back for --script and offer the patch modes")
  func scripts() throws {
    for shell in ["bash", "zsh", "fish"] {
      let result = try greenlight(["--generate-completion-script", shell])
      #expect(result.status == 0, "\(shell): \(result.stderrText)")
      for subcommand in ["run", "check", "debug"] {
        #expect(
          result.stdoutText.contains("---completion \(subcommand) -- --script"),
          "\(shell) \(subcommand)")
      }
      for mode in ["auto", "first", "target", "none"] {
        #expect(result.stdoutText.contains(mode), "\(shell) \(mode)")
      }
    }
  }

  /// What the shell scripts run on TAB after `greenlight run ... --script`.
  private func scriptNames(
    _ words: [String], in folder: String, environment: [String: String] = [:]
  ) throws -> [String] {
    let line = ["greenlight", "run"] + words + ["--script", ""]
    let result = try ChildProcess.run(
      Paths.greenlight,
      (["---completion", "run", "--", "--script", "\(line.count - 1)", "0"] + line).map {
        Array($0.utf8)
      }, workingDirectory: folder, environment: environment,
      removing: environment["VIRTUAL_ENV"] == nil ? ["VIRTUAL_ENV"] : [])
    #expect(result.status == 0, "\(result.stderrText)")
    return result.stdoutText.split(separator: "\n").map(String.init)
  }

  @Test("--script completes from --python, VIRTUAL_ENV or the nearest .venv, as a launch")
  func consoleScripts() throws {
    let nowhere = try Paths.temporaryFolder()
    #expect(try scriptNames([], in: nowhere).isEmpty)
    let nearest = try scriptNames([], in: Paths.examples)
    #expect(nearest.contains("stestr") && nearest.contains("pytest"), "\(nearest)")
    #expect(try scriptNames(["--python", Paths.venv], in: nowhere) == nearest)
    #expect(try scriptNames(["--python=\(Paths.venvPython)"], in: nowhere) == nearest)
    #expect(try scriptNames([], in: nowhere, environment: ["VIRTUAL_ENV": Paths.venv]) == nearest)
    #expect(try scriptNames(["--python", nowhere + "/missing"], in: Paths.root).isEmpty)
  }
}
