#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// What a service's owners decided about greenlight's findings: rules to drop, subjects to
/// ignore per rule, severities to change, and modules allowed to load before patching.
///
/// A policy is written in `greenlight.toml` at the top level, or in `pyproject.toml` under
/// `[tool.greenlight]` (``PolicyLoader`` finds it; `docs/policy.md` is the full reference):
///
/// ```toml
/// allowed-pre-imports = ["debugpy", "pydevd*"]
/// service-packages = ["nova", "os_vif"]     # installed, yet the service's own code
///
/// [rules.GL101]                           # [tool.greenlight.rules.GL101] in pyproject.toml
/// severity = "warning"                    # error, warning or info
/// ignore = ["yaml", "mysvc.legacy"]       # module names, object paths or globs
///
/// [rules.GL303]
/// enabled = false                         # drop the rule entirely
/// ```
///
/// Every name in the policy is a pattern matched by ``Policy/matches(_:_:)``: a pattern
/// matches a module or object path when it matches, as an `fnmatch` glob, the path itself or
/// any of its parent packages. So `mysvc.legacy` matches `mysvc.legacy`,
/// `mysvc.legacy.db` and `mysvc.legacy.db.LOCK`, but not `mysvc.legacy_v2`; `pydevd*` matches
/// `pydevd` and `pydevd_file_utils`; and `*` in a glob also spans dots.
public struct Policy: Equatable, Sendable {
  /// What the policy says about one rule.
  public struct RuleSettings: Equatable, Sendable {
    /// False drops every finding of the rule.
    public var enabled: Bool
    /// The severity every finding of the rule takes, or nil to keep the rule's own.
    public var severity: Severity?
    /// Patterns for the subjects (module or dotted object path) whose findings are dropped.
    public var ignore: [String]

    /// Settings that change nothing unless given.
    public init(enabled: Bool = true, severity: Severity? = nil, ignore: [String] = []) {
      self.enabled = enabled
      self.severity = severity
      self.ignore = ignore
    }
  }

  /// The policy in force when no file is found: nothing ignored, no severity changed.
  public static let none = Policy()

  /// The absolute path of the file the policy came from, or nil for ``none``.
  public var source: String?
  /// Patterns for the modules that may be loaded before patching without a GL101 finding
  /// (debuggers, profilers, coverage).
  public var allowedPreImports: [String]
  /// Top-level packages whose code is the service's wherever it is installed, besides the
  /// target's own (`nova` for `--entry nova.cmd.api:main`): findings point at their lines,
  /// not at the library lines they called. eventlet's packages stay eventlet's.
  public var servicePackages: [String]
  /// The settings of each rule the policy names; a rule it does not name keeps its defaults.
  public var rules: [Rule: RuleSettings]

  /// A policy with the given contents; the default is ``none``.
  public init(
    source: String? = nil, allowedPreImports: [String] = [], servicePackages: [String] = [],
    rules: [Rule: RuleSettings] = [:]
  ) {
    self.source = source
    self.allowedPreImports = allowedPreImports
    self.servicePackages = servicePackages
    self.rules = rules
  }

  /// Whether `module` may be loaded before patching: it, or a parent package of it, matches
  /// one of ``allowedPreImports``.
  public func isAllowedPreImport(_ module: String) -> Bool {
    allowedPreImports.contains { Self.matches($0, module) }
  }

  /// The findings that remain under the policy, in their order: a disabled rule's findings
  /// and those whose subject its `ignore` matches are dropped; the rest take the rule's
  /// severity when the policy sets one. Findings of rules the policy does not name pass
  /// unchanged.
  public func apply(to findings: [Finding]) -> [Finding] {
    findings.compactMap { finding in
      guard let rule = Rule(rawValue: finding.rule), let settings = rules[rule] else {
        return finding
      }
      guard settings.enabled,
        !settings.ignore.contains(where: { Self.matches($0, finding.subject) })
      else { return nil }
      var changed = finding
      if let severity = settings.severity { changed.severity = severity }
      return changed
    }
  }

  /// Whether `pattern` matches the dotted `name` or one of its parents: `a.b.c` is tried as
  /// `a.b.c`, `a.b` and `a`, each with `fnmatch(3)` and no flags (as Python's
  /// `fnmatch.fnmatchcase`: `*`, `?`, `[seq]`, `[!seq]`; `*` spans dots).
  public static func matches(_ pattern: String, _ name: String) -> Bool {
    var candidate = Substring(name)
    while true {
      if fnmatch(pattern, String(candidate), 0) == 0 { return true }
      guard let dot = candidate.lastIndex(of: ".") else { return false }
      candidate = candidate[..<dot]
    }
  }
}

/// A policy file that cannot be used, said in one sentence that names the file, the line and
/// the key: `greenlight.toml:4: rules.GL101.severty is not a policy key (expected severity,
/// ignore or enabled).` The command line reports it and exits with ``ExitStatus/usage``.
public struct PolicyError: Error, Equatable, Sendable, CustomStringConvertible {
  /// The file as the person knows it: as given to `--policy`, else its name when it is in the
  /// working directory, else its absolute path.
  public let file: String
  /// The 1-based line at fault, when there is one.
  public let line: Int?
  /// The dotted key at fault, from the top of the file (`tool.greenlight.rules` in
  /// `pyproject.toml`), when there is one.
  public let key: String?
  /// `file:line: what is wrong.`
  public let description: String

  init(file: String, line: Int?, key: String?, _ problem: String) {
    self.file = file
    self.line = line
    self.key = key
    self.description = "\(file)\(line.map { ":\($0)" } ?? ""): \(problem)."
  }
}
