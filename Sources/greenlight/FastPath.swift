import Greenlight

/// The common, fully valid `run` and `check` command lines, read without
/// swift-argument-parser, whose reflection costs about 1.7 ms of every start (a tenth of a
/// `pass` start-up). Anything it does not recognise (help, a typo, a repeated option, a bad
/// value, a missing target) goes to the parser, which owns every message; a unit test
/// checks that both read the same command lines the same way.
enum FastPath {
  /// The choices and whether `--strict` was given, or nil to let the parser decide.
  static func choices(_ split: CommandLineSplit, subcommand: String) -> (
    LaunchChoices, strict: Bool
  )? {
    guard let targetBytes = split.target,
      let target = target(String(decoding: targetBytes, as: UTF8.self))
    else { return nil }
    var choices = LaunchChoices(target: target)
    var strict = false
    // An array, not a Set: a start's first hashed collection can cost it 250k instructions.
    var seen: [String] = []
    var options = split.options.map { String(decoding: $0, as: UTF8.self) }[...]
    while let option = options.popFirst() {
      var name = option
      var value: String?
      if option.hasPrefix("--"), let equals = option.firstIndex(of: "=") {
        name = String(option[..<equals])
        value = String(option[option.index(after: equals)...])
      }
      let canonical = name == "-v" ? "--verbose" : name
      guard !seen.contains(canonical) else { return nil }
      seen.append(canonical)
      if CommandLineSplit.takesValue(name), value == nil {
        guard let next = options.popFirst() else { return nil }
        value = next
      }
      switch (name, value) {
      case ("--python", let path?): choices.python = path
      case ("--patch", let mode?):
        guard let parsed = PatchMode(rawValue: mode) else { return nil }
        choices.patch = parsed
      case ("--policy", let file?): choices.policy = file
      case ("--format", let format?):
        guard let parsed = ReportFormat(rawValue: format) else { return nil }
        choices.format = parsed
      case ("--report-file", let file?): choices.reportFile = file
      case ("--no-patch", nil): choices.noPatch = true
      case ("-v", nil), ("--verbose", nil): choices.verbose = true
      case ("--strict", nil) where subcommand == "run": strict = true
      default: return nil
      }
    }
    return (choices, strict)
  }

  /// The target in the split's `--name=value` form.
  private static func target(_ text: String) -> LaunchTarget? {
    guard let equals = text.firstIndex(of: "=") else { return nil }
    let value = String(text[text.index(after: equals)...])
    switch text[..<equals] {
    case "--module": return value.isEmpty ? nil : .module(value)
    case "--command": return .command(value)
    case "--entry": return EntryPoint(parsing: value).map { .entry($0) }
    case "--script": return value.isEmpty ? nil : .script(value)
    case "--file": return value.isEmpty ? nil : .file(value)
    default: return nil
    }
  }
}
