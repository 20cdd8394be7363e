import PythonRuntime
import TOMLKit

/// Finds and reads the policy (``Policy`` describes the format; `docs/policy.md` is the
/// reference).
///
/// `--policy FILE` names the file; otherwise the working directory and then each folder
/// above it up to `/` is searched, and the first folder holding either a `greenlight.toml`
/// or a `pyproject.toml` with a `[tool.greenlight]` table wins (`greenlight.toml` first
/// within one folder). With no file found the policy is ``Policy/none``.
public enum PolicyLoader {
  /// The policy file's own name; its settings are at the top level.
  public static let policyFileName = "greenlight.toml"
  /// The Python project file; its settings are under `[tool.greenlight]`.
  public static let pyprojectFileName = "pyproject.toml"

  /// The policy in force for a launch from `workingDirectory`: the `explicit` file when
  /// given (read under `[tool.greenlight]` when it is named `pyproject.toml`), else the one
  /// discovery finds, else ``Policy/none``.
  public static func load(explicit: String?, workingDirectory: String) throws(PolicyError)
    -> Policy
  {
    let directory = FileSystem.absolute(workingDirectory)
    if let explicit {
      let path = FileSystem.normalize(
        explicit.hasPrefix("/") ? explicit : "\(directory)/\(explicit)")
      guard FileSystem.exists(path) else {
        throw PolicyError(file: explicit, line: nil, key: nil, "the policy file does not exist")
      }
      guard !FileSystem.isDirectory(path) else {
        throw PolicyError(file: explicit, line: nil, key: nil, "the policy file is a folder")
      }
      guard let text = FileSystem.readText(path) else {
        throw PolicyError(file: explicit, line: nil, key: nil, "the policy file cannot be read")
      }
      let inPyproject = FileSystem.baseName(path) == pyprojectFileName
      guard
        let policy = try read(
          text, file: explicit, source: path, inPyproject: inPyproject, discovered: false)
      else {
        throw PolicyError(
          file: explicit, line: nil, key: "tool.greenlight", "there is no [tool.greenlight] table")
      }
      return policy
    }
    var folder = directory
    while true {
      if let policy = try policy(in: folder, workingDirectory: directory) { return policy }
      if folder == "/" { return .none }
      folder = FileSystem.parent(folder)
    }
  }

  /// The policy `folder` holds, if any: its `greenlight.toml`, or its `pyproject.toml` when
  /// that has a `[tool.greenlight]` table. An unreadable `greenlight.toml` is an error; an
  /// unreadable `pyproject.toml` is passed over, as it may not be greenlight's.
  static func policy(in folder: String, workingDirectory: String) throws(PolicyError) -> Policy? {
    let base = folder == "/" ? "" : folder
    let policyPath = "\(base)/\(policyFileName)"
    if FileSystem.exists(policyPath), !FileSystem.isDirectory(policyPath) {
      let file = folder == workingDirectory ? policyFileName : policyPath
      guard let text = FileSystem.readText(policyPath) else {
        throw PolicyError(file: file, line: nil, key: nil, "the policy file cannot be read")
      }
      return try read(text, file: file, source: policyPath, inPyproject: false, discovered: true)
    }
    let pyprojectPath = "\(base)/\(pyprojectFileName)"
    guard FileSystem.exists(pyprojectPath), !FileSystem.isDirectory(pyprojectPath),
      let text = FileSystem.readText(pyprojectPath)
    else { return nil }
    let file = folder == workingDirectory ? pyprojectFileName : pyprojectPath
    return try read(text, file: file, source: pyprojectPath, inPyproject: true, discovered: true)
  }

  /// The policy in `text`, or nil for a `pyproject.toml` with no `[tool.greenlight]` table.
  /// A discovered `pyproject.toml` that is not valid TOML is an error only when its text
  /// shows a `tool.greenlight` key; otherwise it is not greenlight's to judge.
  static func read(
    _ text: String, file: String, source: String, inPyproject: Bool, discovered: Bool
  ) throws(PolicyError) -> Policy? {
    let prefix = inPyproject ? ["tool", "greenlight"] : []
    let document: TOMLTable
    do {
      document = try TOMLTable(string: text)
    } catch {
      let lines = TOMLKeyLines(text)
      if inPyproject, discovered, lines.line(of: prefix) == nil { return nil }
      let parse = error as? TOMLParseError
      let line = parse?.source.begin.line
      // toml++ says "Error while parsing string: ...": lower-cased to read on after the colon.
      let said = (parse?.description ?? "\(error)").trimmingSuffix(".")
      let detail = said.prefix(1).lowercased() + said.dropFirst()
      let key = line.flatMap { line in lines.entries.last { $0.line == line }?.path }
      let at = key.map { " at \(PolicyDecoder.display($0))" } ?? ""
      throw PolicyError(
        file: file, line: line, key: key.map(PolicyDecoder.display), "invalid TOML\(at): \(detail)")
    }
    var root = document
    if inPyproject {
      guard let tool = document["tool"]?.table, let greenlight = tool["greenlight"] else {
        return nil
      }
      guard let table = greenlight.table else {
        let decoder = PolicyDecoder(file: file, text: text, prefix: [])
        throw decoder.typeError(["tool", "greenlight"], greenlight, expected: "a table")
      }
      root = table
    }
    var decoder = PolicyDecoder(file: file, text: text, prefix: prefix)
    var policy = decoder.decode(root)
    if let first = decoder.problems.min(by: { ($0.line ?? .max) < ($1.line ?? .max) }) {
      throw first
    }
    policy.source = source
    return policy
  }
}

/// Turns a parsed policy table into a ``Policy``, collecting every problem with the line of
/// its key so that the first one in the file is reported (TOMLKit hands keys back sorted,
/// not in file order).
struct PolicyDecoder {
  let file: String
  let lines: TOMLKeyLines
  /// Where the policy table sits in the file: `tool.greenlight` in `pyproject.toml`.
  let prefix: [String]
  var problems: [PolicyError] = []

  init(file: String, text: String, prefix: [String]) {
    self.file = file
    self.lines = TOMLKeyLines(text)
    self.prefix = prefix
  }

  static let topLevelKeys = ["allowed-pre-imports", "service-packages", "rules"]
  static let ruleKeys = ["severity", "ignore", "enabled"]

  mutating func decode(_ root: TOMLTable) -> Policy {
    var policy = Policy()
    for (key, value) in root {
      switch key {
      case "allowed-pre-imports":
        policy.allowedPreImports = patterns(value, at: [key])
      case "service-packages":
        policy.servicePackages = packageNames(value, at: [key])
      case "rules":
        guard let rules = value.table else {
          problems.append(typeError([key], value, expected: "a table of rule ids"))
          continue
        }
        for (id, settings) in rules {
          guard let rule = Rule(rawValue: id) else {
            let known = Self.list(Rule.allCases.map(\.id), quoted: false)
            problems.append(problem([key, id], "is not a rule id (expected \(known))"))
            continue
          }
          policy.rules[rule] = ruleSettings(settings, at: [key, id])
        }
      default:
        problems.append(unknownKey([key], expected: Self.topLevelKeys))
      }
    }
    return policy
  }

  mutating func ruleSettings(_ value: any TOMLValueConvertible, at path: [String])
    -> Policy.RuleSettings
  {
    var settings = Policy.RuleSettings()
    guard let table = value.table else {
      let expected = "a table of \(Self.list(Self.ruleKeys, quoted: false))"
      problems.append(typeError(path, value, expected: expected))
      return settings
    }
    for (key, value) in table {
      switch key {
      case "severity":
        let names = Self.list(Severity.allCases.map(\.rawValue), quoted: true)
        if let name = value.string {
          if let severity = Severity(rawValue: name) {
            settings.severity = severity
          } else {
            problems.append(problem(path + [key], "is \"\(name)\" (expected \(names))"))
          }
        } else {
          problems.append(typeError(path + [key], value, expected: names))
        }
      case "ignore":
        settings.ignore = patterns(value, at: path + [key])
      case "enabled":
        if let enabled = value.bool {
          settings.enabled = enabled
        } else {
          problems.append(typeError(path + [key], value, expected: "true or false"))
        }
      default:
        problems.append(unknownKey(path + [key], expected: Self.ruleKeys))
      }
    }
    return settings
  }

  /// An array of non-empty strings: module names, object paths or globs.
  mutating func patterns(_ value: any TOMLValueConvertible, at path: [String]) -> [String] {
    guard let array = value.array else {
      problems.append(typeError(path, value, expected: "an array of module names or globs"))
      return []
    }
    var patterns: [String] = []
    for element in array {
      guard let pattern = element.string, !pattern.isEmpty else {
        let what = element.type == .string ? "an empty string" : Self.article(element.type)
        problems.append(problem(path, "holds \(what) (expected module names or globs)"))
        continue
      }
      patterns.append(pattern)
    }
    return patterns
  }

  /// An array of top-level package names (`nova`, `os_vif`): identifiers, no dots, no globs.
  mutating func packageNames(_ value: any TOMLValueConvertible, at path: [String]) -> [String] {
    let expected = "top-level package names such as \"nova\""
    guard let array = value.array else {
      problems.append(typeError(path, value, expected: "an array of \(expected)"))
      return []
    }
    var names: [String] = []
    for element in array {
      guard let name = element.string else {
        problems.append(problem(path, "holds \(Self.article(element.type)) (expected \(expected))"))
        continue
      }
      guard Self.isIdentifier(name) else {
        let what = name.isEmpty ? "an empty string" : "\"\(name)\""
        problems.append(problem(path, "holds \(what) (expected \(expected))"))
        continue
      }
      names.append(name)
    }
    return names
  }

  /// A Python identifier in ASCII: a letter or `_`, then letters, digits or `_`.
  static func isIdentifier(_ name: String) -> Bool {
    guard let first = name.utf8.first, !(UInt8(ascii: "0")...UInt8(ascii: "9")).contains(first)
    else { return false }
    return name.utf8.allSatisfy { byte in
      byte == UInt8(ascii: "_") || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
        || (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte | 0x20)
    }
  }

  func problem(_ path: [String], _ text: String) -> PolicyError {
    let full = prefix + path
    return PolicyError(
      file: file, line: lines.line(of: full), key: Self.display(full),
      "\(Self.display(full)) \(text)")
  }

  func typeError(_ path: [String], _ value: any TOMLValueConvertible, expected: String)
    -> PolicyError
  {
    problem(path, "is \(Self.article(value.type)) (expected \(expected))")
  }

  func unknownKey(_ path: [String], expected: [String]) -> PolicyError {
    problem(path, "is not a policy key (expected \(Self.list(expected, quoted: false)))")
  }

  /// A dotted key as TOML would write it: parts that are not bare keys are quoted.
  static func display(_ path: [String]) -> String {
    path.map { part in
      let bare =
        !part.isEmpty
        && part.utf8.allSatisfy { byte in
          byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-")
            || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
            || (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte | 0x20)
        }
      return bare ? part : "\"\(part)\""
    }.joined(separator: ".")
  }

  /// `a, b or c`.
  static func list(_ items: [String], quoted: Bool) -> String {
    let words = quoted ? items.map { "\"\($0)\"" } : items
    guard words.count > 1 else { return words.first ?? "" }
    return words.dropLast().joined(separator: ", ") + " or " + words.last!
  }

  static func article(_ type: TOMLType) -> String {
    switch type {
    case .table: "a table"
    case .array: "an array"
    case .string: "a string"
    case .int: "an integer"
    case .double: "a float"
    case .bool: "a boolean"
    case .date: "a date"
    case .time: "a time"
    case .dateTime: "a date-time"
    }
  }
}

extension String {
  fileprivate func trimmingSuffix(_ suffix: String) -> String {
    hasSuffix(suffix) ? String(dropLast(suffix.count)) : self
  }
}
