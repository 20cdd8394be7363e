import Greenlight

/// Splits `greenlight run …` (and `check`, `debug`) the way `python` splits its own command line: greenlight's
/// options come first, the first target ends them, and everything after the target belongs
/// to the service unchanged (also `--help`, `-m` or `--`).
///
/// swift-argument-parser cannot express "options stop at the first target", so this runs
/// first; the parser then sees greenlight's options plus the target in `--name=value` form.
struct CommandLineSplit: Equatable {
  /// greenlight's own options, before the target.
  var options: [[UInt8]] = []
  /// The target as a parser option (`--module=…`), or nil when none was given.
  var target: [UInt8]?
  /// The service's arguments, as bytes.
  var serviceArguments: [[UInt8]] = []

  /// Options of `run`, `check` and `debug` that take a value in the next argument.
  static let valueOptions: Set<String> = [
    "--python", "--patch", "--policy", "--format", "--report-file", "--watch", "--hub-stall-ms",
    "--debugger", "--listen", "--backdoor", "--dump-signal", "--dump-file",
  ]
  /// Target spellings and the parser option each becomes.
  static let targetOptions: [String: String] = [
    "-m": "--module", "--module": "--module", "-c": "--command", "--command": "--command",
    "--entry": "--entry", "--script": "--script", "--file": "--file",
  ]

  /// The 1-based position of the first of greenlight's own arguments (options and target)
  /// that is not valid UTF-8, if any; the service's arguments may be any bytes, as with
  /// python.
  var firstNonUTF8Argument: Int?

  init(_ arguments: [[UInt8]]) {
    var index = 0
    var optionsEnded = false
    while index < arguments.count {
      let argument = arguments[index]
      let text = String(decoding: argument, as: UTF8.self)
      index += 1
      if !optionsEnded && text == "--" {
        optionsEnded = true
        continue
      }
      if !optionsEnded, let (parserName, inlineValue) = Self.target(argument) {
        if let inlineValue {
          target = Array("\(parserName)=".utf8) + inlineValue
        } else if index < arguments.count {
          target = Array("\(parserName)=".utf8) + arguments[index]
          index += 1
        } else {
          // A missing value is left to the parser, which names the option.
          options.append(argument)
        }
        break
      }
      if optionsEnded || !text.hasPrefix("-") || text == "-" {
        target = Array("--file=".utf8) + argument
        break
      }
      options.append(argument)
      if Self.valueOptions.contains(text), index < arguments.count {
        options.append(arguments[index])
        index += 1
      }
    }
    serviceArguments = Array(arguments[index...])
    firstNonUTF8Argument = arguments[..<index].firstIndex {
      String(validating: $0, as: UTF8.self) == nil
    }.map { $0 + 1 }
  }

  /// A target option's parser name and its value when given in the same argument
  /// (`-mpkg`, `--entry=a:b`).
  private static func target(_ argument: [UInt8]) -> (String, [UInt8]?)? {
    let text = String(decoding: argument, as: UTF8.self)
    if let name = targetOptions[text] { return (name, nil) }
    if let equals = text.firstIndex(of: "="), text.hasPrefix("--"),
      let name = targetOptions[String(text[..<equals])]
    {
      let nameLength = text[..<equals].utf8.count
      return (name, Array(argument[(nameLength + 1)...]))
    }
    if argument.count > 2, let name = targetOptions[String(text.prefix(2))], !text.hasPrefix("--") {
      return (name, Array(argument[2...]))
    }
    return nil
  }
}
