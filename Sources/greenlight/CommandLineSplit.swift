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

  /// Whether an option of `run`, `check` and `debug` takes a value in the next argument.
  ///
  /// This and `targetName` are switches over literals, not a `Set` or `Dictionary` of
  /// strings: those cost every start their one-time initialisation, hashing and generic
  /// metadata, about 250k instructions (docs/embedding-notes.md, "Giving the launch's costs
  /// back").
  static func takesValue(_ option: String) -> Bool {
    switch option {
    case "--python", "--patch", "--policy", "--format", "--report-file", "--watch",
      "--hub-stall-ms", "--debugger", "--listen", "--backdoor", "--dump-signal", "--dump-file":
      true
    default: false
    }
  }

  /// The parser option a target spelling becomes, or nil when it is not one.
  static func targetName(_ spelling: some Collection<UInt8>) -> String? {
    switch String(decoding: spelling, as: UTF8.self) {
    case "-m", "--module": "--module"
    case "-c", "--command": "--command"
    case "--entry": "--entry"
    case "--script": "--script"
    case "--file": "--file"
    default: nil
    }
  }

  /// The 1-based position of the first of greenlight's own arguments (options and target)
  /// that is not valid UTF-8, if any; the service's arguments may be any bytes, as with
  /// python.
  var firstNonUTF8Argument: Int?

  init(_ arguments: [[UInt8]]) {
    let dash = UInt8(ascii: "-")
    var index = 0
    var optionsEnded = false
    while index < arguments.count {
      let argument = arguments[index]
      index += 1
      if !optionsEnded && argument == [dash, dash] {
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
      if optionsEnded || argument.first != dash || argument == [dash] {
        target = Array("--file=".utf8) + argument
        break
      }
      options.append(argument)
      if Self.takesValue(String(decoding: argument, as: UTF8.self)), index < arguments.count {
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
  /// (`-mpkg`, `--entry=a:b`), by bytes.
  private static func target(_ argument: [UInt8]) -> (String, [UInt8]?)? {
    let dash = UInt8(ascii: "-")
    if let name = targetName(argument) { return (name, nil) }
    let isLong = argument.starts(with: [dash, dash])
    if isLong, let equals = argument.firstIndex(of: UInt8(ascii: "=")),
      let name = targetName(argument[..<equals])
    {
      return (name, Array(argument[(equals + 1)...]))
    }
    if argument.count > 2, !isLong, let name = targetName(argument[..<2]) {
      return (name, Array(argument[2...]))
    }
    return nil
  }
}
