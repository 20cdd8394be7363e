import PythonRuntime

/// What a launch runs once greenlight's phases are done.
public enum LaunchTarget: Equatable, Sendable {
  /// `-m MODULE`: as `python -m`.
  case module(String)
  /// `-c CODE`: as `python -c`.
  case command(String)
  /// `FILE`: as `python FILE`.
  case file(String)
  /// `--entry MODULE:FUNCTION`: import, call with no arguments, exit with its return value
  /// as a console script does.
  case entry(EntryPoint)
  /// `--script NAME`: a `console_scripts` entry point of the environment's distributions.
  case script(String)

  /// How the target reads on greenlight's command line.
  public var commandLine: String {
    switch self {
    case .module(let name): "-m \(name)"
    case .command: "-c CODE"
    case .file(let path): path
    case .entry(let entry): "--entry \(entry)"
    case .script(let name): "--script \(name)"
    }
  }
}

/// `MODULE:ATTRIBUTE`, where both parts are dotted Python identifiers, as in an entry point.
public struct EntryPoint: Equatable, Sendable, CustomStringConvertible {
  public let module: String
  public let attribute: String

  /// Parses `module:attribute`, ignoring an entry point's trailing `[extras]`.
  public init?(parsing text: String) {
    var value = Substring(text)
    if let bracket = value.firstIndex(of: "[") { value = value[..<bracket] }
    let parts = value.split(separator: ":", omittingEmptySubsequences: false)
    guard parts.count == 2 else { return nil }
    let module = parts[0].trimmingWhitespace(), attribute = parts[1].trimmingWhitespace()
    guard Self.isDottedIdentifier(module), Self.isDottedIdentifier(attribute) else { return nil }
    self.module = String(module)
    self.attribute = String(attribute)
  }

  public var description: String { "\(module):\(attribute)" }

  /// Python identifiers joined by dots (ASCII or Unicode letters, digits, underscores).
  static func isDottedIdentifier(_ text: Substring) -> Bool {
    let parts = text.split(separator: ".", omittingEmptySubsequences: false)
    return !parts.isEmpty
      && parts.allSatisfy { part in
        guard let first = part.first, first == "_" || first.isLetter else { return false }
        return part.allSatisfy { $0 == "_" || $0.isLetter || $0.isNumber }
      }
  }
}
