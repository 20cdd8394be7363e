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
  /// `auto` (the default), `first`, `target` or `none`.
  public static let patchVariable = "GREENLIGHT_PATCH"
  /// `1`: every import of eventlet is refused (`--forbid-eventlet`), and the mode is none.
  public static let forbidEventletVariable = "GREENLIGHT_FORBID_EVENTLET"
  /// The folder where each process writes its report (set by `greenlight test`).
  public static let reportDirectoryVariable = "GREENLIGHT_REPORT_DIR"

  /// `on` or `off`: the run-time watch.
  public static let watchVariable = "GREENLIGHT_WATCH"
  /// The hub-stall threshold in milliseconds.
  public static let hubStallVariable = "GREENLIGHT_HUB_STALL_MS"
  /// The policy's `service-packages`, comma-separated (set by `greenlight test`, which reads
  /// the policy itself and applies it to the merged report).
  public static let servicePackagesVariable = "GREENLIGHT_SERVICE_PACKAGES"

  public var python: String?
  public var patchMode: PatchMode
  public var reportDirectory: String?
  /// `--forbid-eventlet`: eventlet's imports are refused; the mode is then none.
  public var forbidEventlet = false
  public var watch: WatchOptions
  /// Top-level packages whose code is the service's wherever it is installed.
  public var servicePackages: [String] = []

  public init(
    python: String?, patchMode: PatchMode, reportDirectory: String?,
    watch: WatchOptions = WatchOptions()
  ) {
    self.python = python
    self.patchMode = patchMode
    self.reportDirectory = reportDirectory
    self.watch = watch
  }

  /// The variables that hand `watch` to children.
  public static func environment(for watch: WatchOptions) -> [String: String] {
    [
      watchVariable: watch.enabled ? "on" : "off",
      hubStallVariable: "\(watch.hubStallMilliseconds)",
    ]
  }

  /// Reads the settings from `environment`; an unknown patch mode is a usage error.
  public init(environment: [String: String]) throws(LaunchError) {
    let nonEmpty = { (name: String) in environment[name].flatMap { $0.isEmpty ? nil : $0 } }
    python = nonEmpty(Self.pythonVariable)
    reportDirectory = nonEmpty(Self.reportDirectoryVariable)
    var mode = PatchMode.auto
    if let value = nonEmpty(Self.patchVariable) {
      guard let parsed = PatchMode(rawValue: value) else {
        throw LaunchError(
          .preflight, status: ExitStatus.usage,
          "\(Self.patchVariable)=\(value) is not a patch mode; use auto, first, target or none.")
      }
      mode = parsed
    }
    forbidEventlet = nonEmpty(Self.forbidEventletVariable).map { $0 != "0" } ?? false
    patchMode =
      forbidEventlet
      ? .none : mode.applyingEnvironment(environment["DISABLE_EVENTLET_PATCHING"])
    servicePackages = (environment[Self.servicePackagesVariable] ?? "").split(separator: ",")
      .map(String.init)
    watch = WatchOptions()
    if let value = nonEmpty(Self.watchVariable) {
      guard value == "on" || value == "off" else {
        throw LaunchError(
          .preflight, status: ExitStatus.usage, "\(Self.watchVariable)=\(value) is not on or off.")
      }
      watch.enabled = value == "on"
    }
    if let value = nonEmpty(Self.hubStallVariable) {
      guard let milliseconds = Int(value), (10...600_000).contains(milliseconds) else {
        throw LaunchError(
          .preflight, status: ExitStatus.usage,
          "\(Self.hubStallVariable)=\(value) is not a number of milliseconds from 10 to 600000.")
      }
      watch.hubStallMilliseconds = milliseconds
    }
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
