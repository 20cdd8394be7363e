import ArgumentParser
import Greenlight
import Testing

@testable import greenlight

/// The fast path and swift-argument-parser read every command line the fast path accepts
/// the same way; everything else is left to the parser.
@Suite("the fast path agrees with the parser")
struct FastPathTests {
  static let accepted: [[String]] = [
    ["-m", "svc", "a", "--help"], ["-c", "pass"], ["--python", ".venv", "svc.py"],
    ["--python=.venv", "--patch", "target", "-v", "--entry", "a.b:main"],
    ["--patch=none", "--script", "nova-api"], ["--no-patch", "--verbose", "-msvc"],
    ["--policy", "p.toml", "--format", "sarif", "--report-file", "r.sarif", "-c", "x=1"],
    ["--format=json", "--", "-dash.py"], ["--strict", "-m", "svc"],
  ]

  static let refused: [[String]] = [
    ["--help"], ["-h", "-m", "svc"], ["--bogus", "-m", "svc"], ["-m"], [],
    ["--patch", "later", "-m", "svc"], ["--format", "xml", "-m", "svc"],
    ["--python", "a", "--python", "b", "-m", "svc"], ["-v", "--verbose", "-m", "svc"],
    ["--entry", "nocolon"], ["--python"], ["--version", "-m", "svc"],
  ]

  @Test("accepted command lines mean the same to both", arguments: accepted)
  func agrees(_ arguments: [String]) throws {
    let split = CommandLineSplit(arguments.map { Array($0.utf8) })
    let fast = try #require(FastPath.choices(split, subcommand: "run"))
    let parserArguments =
      split.options.map { String(decoding: $0, as: UTF8.self) }
      + (split.target.map { [String(decoding: $0, as: UTF8.self)] } ?? [])
    let parsed = try RunCommand.parse(parserArguments)
    #expect(fast.0 == parsed.options.choices(parsed.patching))
    #expect(fast.strict == parsed.strict)
  }

  @Test("help, errors and repeats go to the parser", arguments: refused)
  func refuses(_ arguments: [String]) {
    let split = CommandLineSplit(arguments.map { Array($0.utf8) })
    #expect(FastPath.choices(split, subcommand: "run") == nil)
  }

  @Test("--strict belongs to run only")
  func strictIsRunOnly() {
    let split = CommandLineSplit(["--strict", "-m", "svc"].map { Array($0.utf8) })
    #expect(FastPath.choices(split, subcommand: "check") == nil)
  }
}
