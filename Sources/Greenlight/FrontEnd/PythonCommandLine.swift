/// What a python command line runs, read the way CPython 3.11's own parser reads it
/// (`Python/getopt.c`): short options may be combined (`-uc CODE`, `-ucCODE`), `-c` and `-m`
/// end the options, and the first argument that is not an option is the file.
///
/// CPython still parses the command line itself; this reading only names the target, for
/// reports and for the rules that need the service's own package.
public enum PythonCommandLine: Equatable, Sendable {
  /// `-m MODULE`.
  case module(String)
  /// `-c CODE`.
  case command(String)
  /// `FILE`.
  case file(String)
  /// `-`, or no target with standard input that is not a terminal.
  case standardInput
  /// No target: the interactive prompt (or standard input, if it is not a terminal).
  case interactive
  /// `-h`, `-V`, `--help...`, `--version`, or an option python rejects: nothing runs.
  case noRun

  /// Short options that take an argument (`c` and `m` also end the options).
  private static let withArgument: Set<UInt8> = Set("cmWX".utf8)
  /// Short options that take none.
  private static let flags: Set<UInt8> = Set("bBdEiIOPqsSuvx".utf8)

  /// Reads python's arguments, without `argv[0]`.
  public init(_ arguments: [[UInt8]]) {
    var index = 0
    while index < arguments.count {
      let argument = arguments[index]
      index += 1
      if argument == Array("--".utf8) {
        self = index < arguments.count ? Self.target(arguments[index]) : .interactive
        return
      }
      guard argument.count > 1, argument[0] == UInt8(ascii: "-") else {
        self = Self.target(argument)
        return
      }
      if argument[1] == UInt8(ascii: "-") {
        let name = String(decoding: argument, as: UTF8.self)
        if name == "--check-hash-based-pycs" {
          index += 1
          continue
        }
        if name.hasPrefix("--check-hash-based-pycs=") { continue }
        self = .noRun
        return
      }
      var position = 1
      while position < argument.count {
        let option = argument[position]
        position += 1
        if Self.flags.contains(option) { continue }
        guard Self.withArgument.contains(option) else {
          self = .noRun  // -h, -V, -? or an unknown option
          return
        }
        let value: [UInt8]
        if position < argument.count {
          value = Array(argument[position...])
        } else if index < arguments.count {
          value = arguments[index]
          index += 1
        } else {
          self = .noRun  // "Argument expected for the -c option"
          return
        }
        switch option {
        case UInt8(ascii: "c"):
          self = .command(String(decoding: value, as: UTF8.self))
          return
        case UInt8(ascii: "m"):
          self = .module(String(decoding: value, as: UTF8.self))
          return
        default:
          position = argument.count  // -W and -X take the rest of the argument
        }
      }
    }
    self = .interactive
  }

  private static func target(_ argument: [UInt8]) -> PythonCommandLine {
    argument == Array("-".utf8) ? .standardInput : .file(String(decoding: argument, as: UTF8.self))
  }

  /// How reports name the target: `-m pytest`, `-c CODE`, the file, `-` or `(interactive)`.
  public var label: String {
    switch self {
    case .module(let name): "-m \(name)"
    case .command(let code): "-c \(code)"
    case .file(let path): path
    case .standardInput: "-"
    case .interactive: "(interactive)"
    case .noRun: "(no target)"
    }
  }

  /// The top-level package of the target, whose own modules may patch on import.
  var package: String? {
    switch self {
    case .module(let name): String(name.prefix { $0 != "." })
    case .file(let path):
      String(path.split(separator: "/").last?.split(separator: ".").first ?? "")
    default: nil
    }
  }
}
