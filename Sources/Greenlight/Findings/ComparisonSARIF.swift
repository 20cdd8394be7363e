import PythonRuntime

/// A comparison as a SARIF 2.1.0 log: one result for each test whose outcome differs, at
/// the test's module when it is a file under the working directory (`a.b.test_c.Case.test`
/// at `a/b/test_c.py`), with each mode's outcome in its properties.
enum ComparisonSARIF {
  static let ruleId = "outcome-differs"

  struct Run: Encodable {
    var tool: SARIFRenderer.Tool
    var originalUriBaseIds: [String: SARIFRenderer.ArtifactLocation]
    var results: [Result]
    var properties: RunProperties
  }

  struct RunProperties: Encodable {
    var target: String
    var compareTimeout: Double
    var tests: Int
  }

  struct Result: Encodable {
    var ruleId: String
    var ruleIndex: Int
    var level: String
    var message: SARIFRenderer.Message
    var locations: [SARIFRenderer.Location]?
    var properties: ResultProperties
  }

  struct ResultProperties: Encodable {
    var test: String
    var eventlet: String
    var native: String
  }

  static func render(_ comparison: ComparisonReport, workingDirectory: String) -> String {
    let base = PathURI.normalized(workingDirectory, relativeTo: "/")
    let rule = SARIFRenderer.ReportingDescriptor(
      id: ruleId, name: ruleId,
      summary: "A test's outcome under eventlet differs from its outcome on native threads.",
      help: "Make the test, or the code it tests, work without eventlet.", level: "error")
    let results = comparison.differing.map { test in
      var text =
        "\(test.id): \(test.eventlet.rawValue) under eventlet, \(test.native.rawValue)"
        + " on native threads"
      if let detail = test.nativeDetail ?? test.eventletDetail { text += " (\(detail))" }
      return Result(
        ruleId: ruleId, ruleIndex: 0, level: "error", message: .init(text: text + "."),
        locations: moduleFile(test.id, base: base).flatMap {
          SARIFRenderer.location(SourceLocation(file: $0, line: nil), base: base)
        }.map { [$0] },
        properties: ResultProperties(
          test: test.id, eventlet: test.eventlet.rawValue, native: test.native.rawValue))
    }
    let run = Run(
      tool: SARIFRenderer.Tool(
        driver: SARIFRenderer.Driver(name: "greenlight", version: greenlightVersion, rules: [rule])),
      originalUriBaseIds: [
        SARIFRenderer.sourceRoot: SARIFRenderer.ArtifactLocation(
          uri: "file://" + PathURI.encode(base == "/" ? "/" : base + "/"))
      ],
      results: results,
      properties: RunProperties(
        target: comparison.target, compareTimeout: comparison.timeout,
        tests: comparison.tests.count))
    return ReportRenderer.encode(SARIFRenderer.Log(runs: [run]))
  }

  /// The file of the longest dotted prefix of `id` that is a module under `base`.
  static func moduleFile(_ id: String, base: String) -> String? {
    let parts = id.split(separator: ".").map(String.init)
    guard parts.count > 1 else { return nil }
    for length in stride(from: parts.count - 1, through: 1, by: -1) {
      let file = base + "/" + parts[0..<length].joined(separator: "/") + ".py"
      if FileSystem.exists(file) { return file }
    }
    return nil
  }
}
