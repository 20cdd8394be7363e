import FoundationEssentials
import Testing

@testable import Greenlight

#if canImport(Glibc)
  import Glibc
#endif

/// A report with one finding of each kind of location, deliberately not in severity order.
private func sampleReport(workingDirectory: String = "/srv/proj") -> Report {
  Report(
    version: "0.1.0", mode: "first", target: "-m mysvc",
    findings: [
      Finding(
        .patchOnImport, message: "somelib called monkey_patch while being imported.",
        subject: "somelib",
        location: SourceLocation(file: workingDirectory + "/lib dir/somelib.py", line: 12)),
      Finding(
        .importedBeforePatch, message: "socket was imported before patching.",
        subject: "socket", location: SourceLocation(file: "mysvc/app.py", line: 3)),
      Finding(
        .blockingExtension, severity: .info, message: "grpc is loaded; it does not cooperate.",
        subject: "grpc", location: nil, fix: "Run grpc calls through eventlet.tpool."),
      Finding(
        .nativeLock, message: "A native lock made before patching is reachable.",
        subject: "threading._shutdown_locks_lock",
        location: SourceLocation(file: "/usr/lib/python3.11/threading.py", line: nil)),
    ])
}

private let escape = "\u{1B}["

@Suite("report renderers: text, JSON and SARIF")
struct ReportRendererTests {
  // MARK: text

  @Test("text lists errors, then warnings, then info, and ends with the summary")
  func textOrder() throws {
    let text = ReportRenderer.render(sampleReport(), as: .text, color: false)
    let heads = ["error GL101", "error GL108", "warning GL105", "info GL303"]
    let offsets = try heads.map { head in
      try #require(text.firstRange(of: head), "\(head) missing").lowerBound
    }
    #expect(offsets == offsets.sorted())
    #expect(text.split(separator: "\n").last == "greenlight: 2 errors, 1 warning, 1 info")
    #expect(!text.hasSuffix("\n"))
  }

  @Test("each finding shows rule, name, message, subject, place and fix in three lines")
  func textFinding() {
    let text = ReportRenderer.render(sampleReport(), as: .text, color: false)
    let blocks = text.split(separator: "\n\n").map(String.init)
    #expect(blocks.count == 5)
    #expect(
      blocks[0] == """
        error GL101 imported-before-patch: socket was imported before patching.
          socket at mysvc/app.py:3
          fix: \(Rule.importedBeforePatch.fix)
        """)
    #expect(
      blocks[1].contains("threading._shutdown_locks_lock at /usr/lib/python3.11/threading.py\n"))
    #expect(
      blocks[3].contains("  grpc, location unknown\n  fix: Run grpc calls through eventlet.tpool."))
    #expect(blocks.dropLast().allSatisfy { $0.split(separator: "\n").count == 3 })
  }

  @Test(
    "the summary counts severities and leaves zero counts out",
    arguments: [
      ([Severity](), "greenlight: no findings"), ([.error], "greenlight: 1 error"),
      ([.warning, .warning], "greenlight: 2 warnings"),
      ([.info, .error, .error, .warning], "greenlight: 2 errors, 1 warning, 1 info"),
      ([.info, .info], "greenlight: 2 info"),
    ])
  func summary(_ severities: [Severity], _ expected: String) {
    let findings = severities.map {
      Finding(.staleOriginal, severity: $0, message: "m", subject: "s", location: nil)
    }
    let report = Report(version: "0.1.0", mode: "first", target: "x.py", findings: findings)
    let text = ReportRenderer.render(report, as: .text, color: false)
    #expect(text.split(separator: "\n").last.map(String.init) == expected)
    #expect(severities.isEmpty == (text == "greenlight: no findings"))
  }

  @Test("colour adds ANSI escapes only when asked for")
  func textColor() {
    let plain = ReportRenderer.render(sampleReport(), as: .text, color: false)
    let colored = ReportRenderer.render(sampleReport(), as: .text, color: true)
    #expect(!plain.contains("\u{1B}"))
    #expect(
      colored.contains("\(escape)1;31merror\(escape)0m \(escape)1mGL101 imported-before-patch"))
    #expect(colored.contains("\(escape)1;33mwarning\(escape)0m"))
    #expect(colored.hasSuffix("greenlight: \(escape)1;31m2 errors, 1 warning, 1 info\(escape)0m"))
    #expect(stripANSI(colored) == plain)
  }

  @Test(
    "colour on a terminal unless NO_COLOR is non-empty or TERM is dumb",
    arguments: [
      (true, [:], true), (false, [:], false), (true, ["NO_COLOR": "1"], false),
      (true, ["NO_COLOR": "0"], false), (true, ["NO_COLOR": ""], true),
      (true, ["TERM": "dumb"], false), (true, ["TERM": "xterm-256color"], true),
    ])
  func colorChoice(_ isTerminal: Bool, _ environment: [String: String], _ expected: Bool) {
    #expect(ColorChoice.decide(isTerminal: isTerminal, environment: environment) == expected)
  }

  // MARK: JSON

  @Test("JSON decodes back to the same report, with a summary, sorted keys and no nulls")
  func json() throws {
    let report = sampleReport()
    let text = ReportRenderer.render(report, as: .json, color: true)
    let data = Data(text.utf8)
    #expect(try JSONDecoder().decode(Report.self, from: data) == report)
    let document = try JSONDecoder().decode(JSONDocument.self, from: data)
    #expect(document.summary == JSONDocument.Summary(errors: 2, warnings: 1, info: 1))
    #expect(document.tool == ["name": "greenlight", "version": "0.1.0"])
    #expect(!text.contains("null") && !text.contains("\u{1B}") && !text.contains("\\/"))
    let keys = ["\"findings\"", "\"mode\"", "\"summary\"", "\"target\"", "\"tool\""]
    let offsets = try keys.map { try #require(text.firstRange(of: "\n  \($0)")).lowerBound }
    #expect(offsets == offsets.sorted())
    #expect(text.hasPrefix("{") && text.hasSuffix("}"))
  }

  // MARK: SARIF

  @Test("SARIF has the schema, one run, the driver and every rule of the catalogue")
  func sarifDriver() throws {
    let log = try decodeSARIF(sampleReport())
    #expect(log.schema == "https://json.schemastore.org/sarif-2.1.0.json")
    #expect(log.version == "2.1.0")
    let run = try #require(log.runs.first)
    #expect(log.runs.count == 1)
    #expect(run.tool.driver.name == "greenlight" && run.tool.driver.version == "0.1.0")
    #expect(run.tool.driver.rules.map(\.id) == Rule.allCases.map(\.id))
    for (descriptor, rule) in zip(run.tool.driver.rules, Rule.allCases) {
      #expect(descriptor.name == rule.name)
      #expect(descriptor.shortDescription.text == rule.summary)
      #expect(descriptor.help.text == rule.fix)
      #expect(
        descriptor.defaultConfiguration.level
          == (rule.defaultSeverity == .error ? "error" : "warning"))
    }
    #expect(run.originalUriBaseIds["%SRCROOT%"]?.uri == "file:///srv/proj/")
  }

  @Test("SARIF results carry rule, level, message, subject and a location when known")
  func sarifResults() throws {
    let results = try #require(try decodeSARIF(sampleReport()).runs.first).results
    #expect(results.map(\.ruleId) == ["GL105", "GL101", "GL303", "GL108"])
    #expect(results.map(\.level) == ["warning", "error", "note", "error"])
    for result in results {
      #expect(Rule.allCases[result.ruleIndex].id == result.ruleId)
    }
    #expect(
      results.map(\.properties.subject) == [
        "somelib", "socket", "grpc", "threading._shutdown_locks_lock",
      ])
    #expect(results[1].message.text == "socket was imported before patching.")

    let inside = try #require(results[0].locations?.first?.physicalLocation)
    #expect(inside.artifactLocation == .init(uri: "lib%20dir/somelib.py", uriBaseId: "%SRCROOT%"))
    #expect(inside.region?.startLine == 12)
    let relative = try #require(results[1].locations?.first?.physicalLocation)
    #expect(relative.artifactLocation == .init(uri: "mysvc/app.py", uriBaseId: "%SRCROOT%"))
    #expect(results[2].locations == nil)
    let outside = try #require(results[3].locations?.first?.physicalLocation)
    #expect(
      outside.artifactLocation
        == .init(uri: "file:///usr/lib/python3.11/threading.py", uriBaseId: nil))
    #expect(outside.region == nil)
  }

  @Test(
    "file names become URI references",
    arguments: [
      ("/srv/proj/a.py", "/srv/proj", "a.py", true), ("./pkg/../b.py", "/srv/proj", "b.py", true),
      ("../other/c.py", "/srv/proj", "file:///srv/other/c.py", false),
      ("/srv/proj2/d.py", "/srv/proj", "file:///srv/proj2/d.py", false),
      ("/srv/proj/a:b é.py", "/srv/proj", "a%3Ab%20%C3%A9.py", true),
      ("/x//y/./z.py", "/", "x/y/z.py", true),
    ])
  func uris(_ file: String, _ base: String, _ uri: String, _ underRoot: Bool) {
    let location = SARIFRenderer.artifactLocation(file: file, base: base)
    #expect(location == .init(uri: uri, uriBaseId: underRoot ? "%SRCROOT%" : nil))
  }

  @Test(
    "Python's pseudo-files and empty names have no SARIF location",
    arguments: ["<string>", "<frozen importlib._bootstrap>", ""])
  func pseudoFiles(_ file: String) {
    #expect(SARIFRenderer.artifactLocation(file: file, base: "/srv/proj") == nil)
  }

  /// Writes the sample report and an empty one, as JSON and SARIF, into the directory named
  /// by `GREENLIGHT_REPORT_SAMPLES`, for `Tests/tools/validate_report.py` to check.
  @Test("sample reports for the schema validators", .enabled(if: samplesDirectory != nil))
  func writeSamples() throws {
    let directory = try #require(samplesDirectory)
    let report = sampleReport(workingDirectory: currentDirectory())
    let empty = Report(version: "0.1.0", mode: "none", target: "svc.py", findings: [])
    let samples: [(String, Report, ReportFormat)] = [
      ("report.json", report, .json), ("report.sarif", report, .sarif),
      ("empty.json", empty, .json), ("empty.sarif", empty, .sarif),
    ]
    for (name, report, format) in samples {
      let path = directory + "/" + name
      let file = try #require(fopen(path, "w"), "cannot write \(path)")
      let bytes = Array(ReportRenderer.render(report, as: format, color: false).utf8)
      #expect(fwrite(bytes, 1, bytes.count, file) == bytes.count)
      fclose(file)
    }
  }
}

// MARK: Helpers

private let samplesDirectory: String? = getenv("GREENLIGHT_REPORT_SAMPLES").map {
  String(cString: $0)
}

private func currentDirectory() -> String {
  guard let pointer = getcwd(nil, 0) else { return "/" }
  defer { free(pointer) }
  return String(cString: pointer)
}

private func stripANSI(_ text: String) -> String {
  text.replacing(/\x1B\[[0-9;]*m/, with: "")
}

private func decodeSARIF(_ report: Report) throws -> SARIFLog {
  let text = SARIFRenderer.render(report, workingDirectory: "/srv/proj")
  return try JSONDecoder().decode(SARIFLog.self, from: Data(text.utf8))
}

private struct JSONDocument: Decodable {
  var tool: [String: String]
  var summary: Summary

  struct Summary: Decodable, Equatable {
    var errors: Int
    var warnings: Int
    var info: Int
  }
}

/// The parts of a SARIF log the tests read back.
private struct SARIFLog: Decodable {
  var schema: String
  var version: String
  var runs: [Run]

  enum CodingKeys: String, CodingKey {
    case schema = "$schema"
    case version, runs
  }

  struct Run: Decodable {
    var tool: Tool
    var originalUriBaseIds: [String: ArtifactLocation]
    var results: [Result]
  }

  struct Tool: Decodable {
    var driver: Driver
  }

  struct Driver: Decodable {
    var name: String
    var version: String
    var rules: [Descriptor]
  }

  struct Descriptor: Decodable {
    var id: String
    var name: String
    var shortDescription: Text
    var help: Text
    var defaultConfiguration: Configuration
  }

  struct Configuration: Decodable {
    var level: String
  }

  struct Text: Decodable {
    var text: String
  }

  struct Result: Decodable {
    var ruleId: String
    var ruleIndex: Int
    var level: String
    var message: Text
    var locations: [Location]?
    var properties: Properties
  }

  struct Properties: Decodable {
    var subject: String
    var fix: String
  }

  struct Location: Decodable, Equatable {
    var physicalLocation: PhysicalLocation
  }

  struct PhysicalLocation: Decodable, Equatable {
    var artifactLocation: ArtifactLocation
    var region: Region?
  }

  struct Region: Decodable, Equatable {
    var startLine: Int
  }

  struct ArtifactLocation: Decodable, Equatable {
    var uri: String
    var uriBaseId: String?
  }
}
