import PythonRuntime

#if canImport(Glibc)
  import Glibc
#endif

/// What the python front end takes from its environment. It has no options of its own (its
/// command line is python's), so `greenlight test` and a parent front end pass their choices
/// to every child through these variables.
public struct FrontEndSettings: Equatable, Sendable {
  /// The venv or interpreter to run (`--python` of `test`).
  public static let pythonVariable = "GREENLIGHT_PYTHON"
  /// `first`, `target` or `none`.
  public static let patchVariable = "GREENLIGHT_PATCH"
  /// The folder where each process writes its report (set by `greenlight test`).
  public static let reportDirectoryVariable = "GREENLIGHT_REPORT_DIR"

  public var python: String?
  public var patchMode: PatchMode
  public var reportDirectory: String?

  public init(python: String?, patchMode: PatchMode, reportDirectory: String?) {
    self.python = python
    self.patchMode = patchMode
    self.reportDirectory = reportDirectory
  }

  /// Reads the settings from `environment`; an unknown patch mode is a usage error.
  public init(environment: [String: String]) throws(LaunchError) {
    let nonEmpty = { (name: String) in environment[name].flatMap { $0.isEmpty ? nil : $0 } }
    python = nonEmpty(Self.pythonVariable)
    reportDirectory = nonEmpty(Self.reportDirectoryVariable)
    var mode = PatchMode.first
    if let value = nonEmpty(Self.patchVariable) {
      guard let parsed = PatchMode(rawValue: value) else {
        throw LaunchError(
          .preflight, status: ExitStatus.usage,
          "\(Self.patchVariable)=\(value) is not a patch mode; use first, target or none.")
      }
      mode = parsed
    }
    patchMode = mode.applyingEnvironment(environment["DISABLE_EVENTLET_PATCHING"])
  }

  /// The process's environment as a dictionary (names that are not UTF-8 are skipped).
  public static func processEnvironment() -> [String: String] {
    var result: [String: String] = [:]
    var entry = environ
    while let pointer = entry.pointee {
      let text = String(cString: pointer)
      if let equals = text.firstIndex(of: "=") {
        result[String(text[..<equals])] = String(text[text.index(after: equals)...])
      }
      entry += 1
    }
    return result
  }
}
