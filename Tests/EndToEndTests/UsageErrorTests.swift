import Foundation
import Testing

/// Wrong input to greenlight itself: one clear sentence and exit 64, never a crash trace.
@Suite("usage errors")
struct UsageErrorTests {
  static let cases: [(name: String, arguments: [String], says: String)] = [
    ("unknown option", ["run", "--bogus", "-c", "pass"], "Unknown option '--bogus'"),
    ("no target", ["run"], "No target: give -m MODULE"),
    ("no target after options", ["run", "--patch", "none"], "No target"),
    ("-m without a module", ["run", "-m"], "Missing value for '-m <module>'"),
    ("bad patch mode", ["run", "--patch", "later", "-c", "pass"], "The value 'later' is invalid"),
    (
      "entry without a function", ["run", "--entry", "pkg.module", "--x"], "is not MODULE:FUNCTION"
    ),
    ("entry with a bad name", ["run", "--entry", "pkg-x:main"], "is not MODULE:FUNCTION"),
    (
      "--python that does not exist", ["run", "--python", "/no/such/python", "-c", "pass"],
      "--python /no/such/python is not a usable Python interpreter or virtual environment"
    ),
    (
      "--python that is not a Python", ["run", "--python", "/bin/ls", "-c", "pass"],
      "it is not a Python interpreter"
    ),
    (
      "--python folder that is not a venv", ["run", "--python", "/tmp", "-c", "pass"],
      "without pyvenv.cfg"
    ),
    ("unknown subcommand", ["launch"], "Unexpected argument 'launch'"),
  ]

  @Test("one sentence and exit 64", arguments: cases.map(\.name))
  func usage(_ name: String) throws {
    let (_, arguments, says) = Self.cases.first { $0.name == name }!
    let result = try greenlight(arguments)
    #expect(result.status == 64, "\(result.stderrText)")
    #expect(result.stderrText.contains(says), "\(result.stderrText)")
    #expect(result.stdout.isEmpty)
    #expect(!result.stderrText.contains("Fatal error"))
    #expect(!result.stderrText.contains("Backtrace"))
    #expect(!result.stderrText.contains("Traceback"))
  }

  @Test("a non-UTF-8 option is refused with exit 64")
  func nonUTF8Option() throws {
    let result = try greenlight(
      bytes: ["run", "--python"].map(\.bytes) + [latin1Cafe] + [
        Array("-c".utf8), Array("pass".utf8),
      ])
    #expect(result.status == 64)
    #expect(result.stderrText.contains("argument 3 is not valid UTF-8"))
  }

  @Test("a non-UTF-8 service argument reaches the service as python would decode it")
  func nonUTF8ServiceArgument() throws {
    let code = "import os, sys; print(ascii(sys.argv[1]), os.fsencode(sys.argv[1]))"
    let arguments = ["-c", code].map(\.bytes) + [latin1Cafe]
    let expected = try python(bytes: arguments)
    let actual = try greenlight(bytes: ["run", "--python", Paths.venv].map(\.bytes) + arguments)
    #expect(actual.status == 0)
    #expect(actual.stdoutText == expected.stdoutText)
    #expect(actual.stdoutText == "'caf\\udce9' b'caf\\xe9'\n")
  }

  @Test("everything after the target is the service's, also greenlight's own options")
  func afterTarget() throws {
    let code = "import sys; print(sys.argv[1:])"
    let result = try greenlight(
      ["run", "--python", Paths.venv, "-c", code, "--help", "--python", "x", "-m", "y", "--"])
    #expect(result.status == 0)
    #expect(result.stdoutText == "['--help', '--python', 'x', '-m', 'y', '--']\n")
  }

  @Test("-- ends greenlight's options before a FILE that starts with a dash")
  func doubleDash() throws {
    let folder = try Paths.temporaryFolder()
    try "import sys; print('dash file', sys.argv)".write(
      toFile: folder + "/-dash.py", atomically: true, encoding: .utf8)
    let result = try greenlight(
      ["run", "--python", Paths.venv, "--", "-dash.py", "a"], workingDirectory: folder)
    #expect(result.status == 0, "\(result.stderrText)")
    #expect(result.stdoutText == "dash file ['-dash.py', 'a']\n")
  }

  @Test(
    "help reads as documentation", arguments: [["--help"], ["run", "--help"], ["help", "run"]])
  func help(_ arguments: [String]) throws {
    let result = try greenlight(arguments)
    #expect(result.status == 0)
    #expect(result.stdoutText.contains("USAGE:") || result.stdoutText.contains("Usage:"))
    if arguments.contains("run") {
      for text in [
        "-m MODULE", "--entry MODULE:FUNCTION", "--script NAME", "--python",
        "DISABLE_EVENTLET_PATCHING", "Exit status",
      ] {
        #expect(result.stdoutText.contains(text), "\(text)")
      }
    }
  }
}

/// "café" in Latin-1: the lone byte 0xE9 is not valid UTF-8.
let latin1Cafe: [UInt8] = Array("caf".utf8) + [0xE9]

extension String {
  var bytes: [UInt8] { Array(utf8) }
}
