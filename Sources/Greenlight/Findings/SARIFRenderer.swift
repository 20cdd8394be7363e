/// A SARIF 2.1.0 log with one run, shaped for GitHub code scanning.
///
/// Paths inside the working directory become relative URIs with `uriBaseId` `%SRCROOT%`:
/// code scanning reads a relative URI as relative to the repository root, which is the
/// working directory of a CI job, and ignores the base id (`originalUriBaseIds` still says
/// where `%SRCROOT%` was, for other viewers). Paths elsewhere (site-packages, the standard
/// library) become absolute `file://` URIs, which `upload-sarif` makes relative to its
/// checkout path when they fall inside it. A finding with no file, or with one of Python's
/// pseudo-files such as `<frozen importlib._bootstrap>`, has no `locations`: valid SARIF,
/// though code scanning refuses a log with such a result.
enum SARIFRenderer {
  static let schemaURI = "https://json.schemastore.org/sarif-2.1.0.json"
  static let sourceRoot = "%SRCROOT%"

  static func render(_ report: Report, workingDirectory: String) -> String {
    let base = PathURI.normalized(workingDirectory, relativeTo: "/")
    let rules = Rule.allCases
    let run = Run(
      tool: Tool(
        driver: Driver(
          name: report.tool.name, version: report.tool.version,
          rules: rules.map(ReportingDescriptor.init))),
      originalUriBaseIds: [
        sourceRoot: ArtifactLocation(
          uri: "file://" + PathURI.encode(base == "/" ? "/" : base + "/"))
      ],
      results: report.findings.map { finding in
        Result(
          ruleId: finding.rule,
          ruleIndex: rules.firstIndex { $0.id == finding.rule },
          level: level(finding.severity),
          message: Message(text: finding.message),
          locations: finding.location.flatMap { location($0, base: base) }.map { [$0] },
          properties: ResultProperties(
            subject: finding.subject, fix: finding.fix, processes: finding.processes))
      },
      invocations: [invocation(report.importFailure, base: base)],
      properties: RunProperties(mode: report.mode, target: report.target, process: report.process))
    return ReportRenderer.encode(Log(runs: [run]))
  }

  /// The run's one invocation: unsuccessful, with an error notification at the place the
  /// import stopped, when `check`'s import of the target failed.
  static func invocation(_ failure: ImportFailure?, base: String) -> Invocation {
    guard let failure else { return Invocation(executionSuccessful: true) }
    let notification = Notification(
      level: "error",
      message: Message(
        text: "The target's import failed (\(failure.description)): the results are what"
          + " greenlight saw until then."),
      locations: failure.location.flatMap { location($0, base: base) }.map { [$0] })
    return Invocation(executionSuccessful: false, toolExecutionNotifications: [notification])
  }

  /// SARIF has no `info`; its `note` is the level for a finding that needs no action.
  static func level(_ severity: Severity) -> String {
    switch severity {
    case .error: "error"
    case .warning: "warning"
    case .info: "note"
    }
  }

  static func location(_ source: SourceLocation, base: String) -> Location? {
    guard let artifact = artifactLocation(file: source.file, base: base) else { return nil }
    let region = source.line.flatMap { $0 >= 1 ? Region(startLine: $0) : nil }
    return Location(physicalLocation: PhysicalLocation(artifactLocation: artifact, region: region))
  }

  /// A relative URI under `%SRCROOT%` for files inside `base`, a `file://` URI otherwise,
  /// and nothing for Python's pseudo-files (`<string>`, `<frozen ...>`).
  static func artifactLocation(file: String, base: String) -> ArtifactLocation? {
    guard !file.isEmpty, !(file.hasPrefix("<") && file.hasSuffix(">")) else { return nil }
    let path = PathURI.normalized(file, relativeTo: base)
    let prefix = base == "/" ? "/" : base + "/"
    if path.hasPrefix(prefix), path.count > prefix.count {
      return ArtifactLocation(
        uri: PathURI.encode(String(path.dropFirst(prefix.count))), uriBaseId: sourceRoot)
    }
    return ArtifactLocation(uri: "file://" + PathURI.encode(path))
  }

  // MARK: The subset of the SARIF object model greenlight writes

  /// A SARIF log of runs: greenlight's findings (``Run``) or a comparison's.
  struct Log<LogRun: Encodable>: Encodable {
    let schema = SARIFRenderer.schemaURI
    let version = "2.1.0"
    var runs: [LogRun]

    enum CodingKeys: String, CodingKey {
      case schema = "$schema"
      case version, runs
    }
  }

  struct Run: Encodable {
    var tool: Tool
    var originalUriBaseIds: [String: ArtifactLocation]
    var results: [Result]
    var invocations: [Invocation]
    var properties: RunProperties
  }

  struct Invocation: Encodable {
    var executionSuccessful: Bool
    var toolExecutionNotifications: [Notification]?
  }

  struct Notification: Encodable {
    var level: String
    var message: Message
    var locations: [Location]?
  }

  /// The run's property bag: the patch mode and target, and the process's mode as the JSON
  /// report's `process` says it, in SARIF's camel case (`concurrency`, `patchedBy`, null when
  /// nothing patched, `patchCall` and, merged, `processes`).
  struct RunProperties: Encodable {
    var mode: String
    var target: String
    var process: ProcessMode?

    enum CodingKeys: String, CodingKey {
      case mode, target, concurrency, patchedBy, patchCall, processes
    }

    func encode(to encoder: any Encoder) throws {
      var container = encoder.container(keyedBy: CodingKeys.self)
      try container.encode(mode, forKey: .mode)
      try container.encode(target, forKey: .target)
      guard let process else { return }
      try container.encode(process.concurrency, forKey: .concurrency)
      try container.encode(process.patchedBy, forKey: .patchedBy)
      try container.encodeIfPresent(process.patchCall, forKey: .patchCall)
      try container.encodeIfPresent(process.processes, forKey: .processes)
    }
  }

  struct Tool: Encodable {
    var driver: Driver
  }

  struct Driver: Encodable {
    var name: String
    var version: String
    var rules: [ReportingDescriptor]
  }

  struct ReportingDescriptor: Encodable {
    var id: String
    var name: String
    var shortDescription: Message
    var help: Message
    var defaultConfiguration: Configuration

    init(_ rule: Rule) {
      id = rule.id
      name = rule.name
      shortDescription = Message(text: rule.summary)
      help = Message(text: rule.fix)
      defaultConfiguration = Configuration(level: SARIFRenderer.level(rule.defaultSeverity))
    }

    /// A rule that is not a finding's (``ComparisonSARIF``'s).
    init(id: String, name: String, summary: String, help: String, level: String) {
      self.id = id
      self.name = name
      shortDescription = Message(text: summary)
      self.help = Message(text: help)
      defaultConfiguration = Configuration(level: level)
    }
  }

  struct Configuration: Encodable {
    var level: String
  }

  struct Message: Encodable {
    var text: String
  }

  struct Result: Encodable {
    var ruleId: String
    var ruleIndex: Int?
    var level: String
    var message: Message
    var locations: [Location]?
    var properties: ResultProperties
  }

  struct ResultProperties: Encodable {
    var subject: String
    var fix: String
    var processes: Int?
  }

  struct Location: Encodable {
    var physicalLocation: PhysicalLocation
  }

  struct PhysicalLocation: Encodable {
    var artifactLocation: ArtifactLocation
    var region: Region?
  }

  struct ArtifactLocation: Encodable, Equatable {
    var uri: String
    var uriBaseId: String?
  }

  struct Region: Encodable {
    var startLine: Int
  }
}

/// POSIX paths as URI references.
enum PathURI {
  /// `path` made absolute against `base`, with `.`, `..` and repeated slashes resolved
  /// lexically (symbolic links are left alone, as Python's `__file__` leaves them).
  static func normalized(_ path: String, relativeTo base: String) -> String {
    let full = path.hasPrefix("/") ? path : base + "/" + path
    var parts: [Substring] = []
    for part in full.split(separator: "/", omittingEmptySubsequences: true) {
      switch part {
      case ".": continue
      case "..": _ = parts.popLast()
      default: parts.append(part)
      }
    }
    return "/" + parts.joined(separator: "/")
  }

  /// Percent-encodes every byte but RFC 3986's unreserved characters, sub-delimiters, `@`
  /// and `/`. `:` is encoded too, so a relative path never reads as a scheme.
  static func encode(_ path: String) -> String {
    var result = ""
    for byte in path.utf8 {
      if allowed(byte) {
        result.append(Character(Unicode.Scalar(byte)))
      } else {
        let hex = String(byte, radix: 16, uppercase: true)
        result += "%" + (hex.count == 1 ? "0" + hex : hex)
      }
    }
    return result
  }

  private static func allowed(_ byte: UInt8) -> Bool {
    switch byte {
    case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
      UInt8(ascii: "0")...UInt8(ascii: "9"):
      true
    default: "-._~!$&'()*+,;=@/".utf8.contains(byte)
    }
  }
}
