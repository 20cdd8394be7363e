import Foundation
import Testing

@testable import Greenlight

/// A fresh folder under /tmp for one test, removed when the test ends.
final class PolicySandbox {
  let root: String

  init() throws {
    let path = "/tmp/greenlight-policy-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    root = URL(fileURLWithPath: path).resolvingSymlinksInPath().path
  }

  deinit { try? FileManager.default.removeItem(atPath: root) }

  /// Writes `text` to `relative` under the root, creating folders, and returns the folder.
  @discardableResult
  func write(_ relative: String, _ text: String) throws -> String {
    let path = "\(root)/\(relative)"
    let folder = (path as NSString).deletingLastPathComponent
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    try text.write(toFile: path, atomically: true, encoding: .utf8)
    return folder
  }

  func folder(_ relative: String) throws -> String {
    let path = "\(root)/\(relative)"
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
  }
}

func policyFinding(_ rule: Rule, _ subject: String) -> Finding {
  Finding(rule, message: "m", subject: subject, location: nil)
}

/// The error loading `text` as `greenlight.toml` (or `pyproject.toml`) raises.
func policyLoadError(_ text: String, name: String = "greenlight.toml") throws -> PolicyError? {
  let sandbox = try PolicySandbox()
  let folder = try sandbox.write(name, text)
  do {
    _ = try PolicyLoader.load(explicit: nil, workingDirectory: folder)
    return nil
  } catch {
    return error
  }
}

@Suite("policy: discovery")
struct PolicyDiscoveryTests {
  @Test("greenlight.toml is found from the working directory upward")
  func upward() throws {
    let sandbox = try PolicySandbox()
    try sandbox.write("greenlight.toml", "allowed-pre-imports = [\"debugpy\"]\n")
    let policy = try PolicyLoader.load(explicit: nil, workingDirectory: sandbox.folder("a/b/c"))
    #expect(policy.source == "\(sandbox.root)/greenlight.toml")
    #expect(policy.allowedPreImports == ["debugpy"])
  }

  @Test("the nearest folder wins, whichever kind of file it holds")
  func nearestWins() throws {
    let sandbox = try PolicySandbox()
    try sandbox.write("greenlight.toml", "allowed-pre-imports = [\"outer\"]\n")
    try sandbox.write("a/pyproject.toml", "[tool.greenlight]\nallowed-pre-imports = [\"inner\"]\n")
    let policy = try PolicyLoader.load(explicit: nil, workingDirectory: sandbox.folder("a/b"))
    #expect(policy.source == "\(sandbox.root)/a/pyproject.toml")
    #expect(policy.allowedPreImports == ["inner"])
  }

  @Test("in one folder greenlight.toml wins over pyproject.toml")
  func greenlightTomlFirst() throws {
    let sandbox = try PolicySandbox()
    try sandbox.write("pyproject.toml", "[tool.greenlight]\nallowed-pre-imports = [\"py\"]\n")
    let folder = try sandbox.write("greenlight.toml", "allowed-pre-imports = [\"gl\"]\n")
    let policy = try PolicyLoader.load(explicit: nil, workingDirectory: folder)
    #expect(policy.allowedPreImports == ["gl"])
  }

  @Test(
    "a pyproject.toml without [tool.greenlight] is passed over, even one that does not parse",
    arguments: [
      "[project]\nname = \"svc\"\n[tool.black]\nline-length = 100\n",
      "[project\nname = \"svc\"\n",
    ])
  func pyprojectWithoutTable(_ text: String) throws {
    let sandbox = try PolicySandbox()
    try sandbox.write("greenlight.toml", "allowed-pre-imports = [\"outer\"]\n")
    let folder = try sandbox.write("svc/pyproject.toml", text)
    let policy = try PolicyLoader.load(explicit: nil, workingDirectory: folder)
    #expect(policy.source == "\(sandbox.root)/greenlight.toml")
  }

  @Test("an empty [tool.greenlight] table is a policy and stops the search")
  func emptyTable() throws {
    let sandbox = try PolicySandbox()
    try sandbox.write("greenlight.toml", "allowed-pre-imports = [\"outer\"]\n")
    let folder = try sandbox.write("svc/pyproject.toml", "[tool.greenlight]\n")
    let policy = try PolicyLoader.load(explicit: nil, workingDirectory: folder)
    #expect(policy == Policy(source: "\(folder)/pyproject.toml"))
  }

  @Test("with no policy file the policy is none")
  func noPolicy() throws {
    let sandbox = try PolicySandbox()
    try sandbox.write("svc/pyproject.toml", "[project]\nname = \"svc\"\n")
    let policy = try PolicyLoader.load(explicit: nil, workingDirectory: sandbox.folder("svc"))
    #expect(policy == Policy.none)
    #expect(
      Policy.none.apply(to: [policyFinding(.nativeLock, "a.LOCK")]) == [
        policyFinding(.nativeLock, "a.LOCK")
      ])
  }

  @Test("--policy overrides discovery and is read relative to the working directory")
  func explicitFile() throws {
    let sandbox = try PolicySandbox()
    try sandbox.write("greenlight.toml", "allowed-pre-imports = [\"found\"]\n")
    try sandbox.write("conf/strict.toml", "allowed-pre-imports = [\"given\"]\n")
    let policy = try PolicyLoader.load(explicit: "conf/strict.toml", workingDirectory: sandbox.root)
    #expect(policy.source == "\(sandbox.root)/conf/strict.toml")
    #expect(policy.allowedPreImports == ["given"])
  }

  @Test("--policy naming a pyproject.toml reads its [tool.greenlight] table")
  func explicitPyproject() throws {
    let sandbox = try PolicySandbox()
    let folder = try sandbox.write(
      "other/pyproject.toml", "[tool.greenlight]\nallowed-pre-imports = [\"given\"]\n")
    let policy = try PolicyLoader.load(
      explicit: "\(folder)/pyproject.toml", workingDirectory: sandbox.folder("svc"))
    #expect(policy.allowedPreImports == ["given"])
  }

  @Test(
    "--policy naming a missing, folder, unreadable or table-less file is an error",
    arguments: [
      ("missing.toml", "missing.toml: the policy file does not exist.", nil as String?),
      ("conf", "conf: the policy file is a folder.", nil),
      ("secret.toml", "secret.toml: the policy file cannot be read.", nil),
      (
        "pyproject.toml", "pyproject.toml: there is no [tool.greenlight] table.",
        "tool.greenlight" as String?
      ),
    ])
  func explicitErrors(_ name: String, _ message: String, _ key: String?) throws {
    let sandbox = try PolicySandbox()
    _ = try sandbox.folder("conf")
    try sandbox.write("secret.toml", "")
    chmod("\(sandbox.root)/secret.toml", 0)
    try sandbox.write("pyproject.toml", "[project]\nname = \"svc\"\n")
    if name == "secret.toml", getuid() == 0 { return }  // root reads anything
    let error = #expect(throws: PolicyError.self) {
      try PolicyLoader.load(explicit: name, workingDirectory: sandbox.root)
    }
    #expect(error?.description == message)
    #expect(error?.file == name)
    #expect(error?.line == nil)
    #expect(error?.key == key)
  }

  @Test("--policy naming a pyproject.toml that does not parse reports the syntax error")
  func explicitPyprojectSyntax() throws {
    let sandbox = try PolicySandbox()
    try sandbox.write("pyproject.toml", "[project]\nname = \"svc\"\nname = \"again\"\n")
    let error = #expect(throws: PolicyError.self) {
      try PolicyLoader.load(explicit: "pyproject.toml", workingDirectory: sandbox.root)
    }
    #expect(
      error?.description
        == "pyproject.toml:3: invalid TOML at project.name: error while parsing key-value pair: "
        + "cannot redefine existing string 'name'.")
  }

  @Test("a file found above the working directory is named by its absolute path")
  func errorPaths() throws {
    let sandbox = try PolicySandbox()
    try sandbox.write("greenlight.toml", "bad = 1\n")
    let error = #expect(throws: PolicyError.self) {
      try PolicyLoader.load(explicit: nil, workingDirectory: sandbox.folder("svc"))
    }
    #expect(error?.file == "\(sandbox.root)/greenlight.toml")
    #expect(
      error?.description
        == "\(sandbox.root)/greenlight.toml:1: bad is not a policy key (expected allowed-pre-imports, service-packages or rules)."
    )
  }
}

@Suite("policy: applying it")
struct PolicyApplyTests {
  static let example = """
    # greenlight.toml
    allowed-pre-imports = ["debugpy", "pydevd*"]
    service-packages = ["nova", "os_vif"]

    [rules.GL101]
    severity = "warning"
    ignore = ["yaml", "mysvc.legacy", "vendor.*.compat"]

    [rules.GL303]
    enabled = false
    """

  @Test("the documented example reads as written")
  func example() throws {
    let sandbox = try PolicySandbox()
    let folder = try sandbox.write("greenlight.toml", Self.example)
    let policy = try PolicyLoader.load(explicit: nil, workingDirectory: folder)
    #expect(
      policy
        == Policy(
          source: "\(folder)/greenlight.toml", allowedPreImports: ["debugpy", "pydevd*"],
          servicePackages: ["nova", "os_vif"],
          rules: [
            .importedBeforePatch: .init(
              severity: .warning, ignore: ["yaml", "mysvc.legacy", "vendor.*.compat"]),
            .blockingExtension: .init(enabled: false),
          ]))
  }

  @Test("the same policy under [tool.greenlight] in pyproject.toml")
  func examplePyproject() throws {
    let text = """
      [project]
      name = "mysvc"

      [tool.greenlight]
      allowed-pre-imports = ["debugpy", "pydevd*"]
      service-packages = ["nova", "os_vif"]

      [tool.greenlight.rules.GL101]
      severity = "warning"
      ignore = ["yaml", "mysvc.legacy", "vendor.*.compat"]

      [tool.greenlight.rules]
      GL303 = { enabled = false }
      """
    let sandbox = try PolicySandbox()
    let folder = try sandbox.write("pyproject.toml", text)
    let toml = try sandbox.write("greenlight.toml", Self.example)
    var fromPyproject = try PolicyLoader.load(explicit: "pyproject.toml", workingDirectory: folder)
    var fromToml = try PolicyLoader.load(explicit: nil, workingDirectory: toml)
    fromPyproject.source = nil
    fromToml.source = nil
    #expect(fromPyproject == fromToml)
  }

  @Test(
    "ignore patterns match the subject or any parent package, as fnmatch globs",
    arguments: [
      ("yaml", "yaml", true), ("yaml", "yaml.cyaml", true), ("yaml", "yamlish", false),
      ("mysvc.legacy", "mysvc.legacy.db.LOCK", true), ("mysvc.legacy", "mysvc.legacy_v2", false),
      ("mysvc.legacy", "mysvc", false), ("mysvc.*", "mysvc.db.LOCK", true),
      ("mysvc.*", "mysvc", false), ("vendor.*.compat", "vendor.six.compat.Lock", true),
      ("pydevd*", "pydevd_file_utils", true), ("pydev?", "pydevd", true),
      ("[ab]svc", "bsvc.x", true), ("[!ab]svc", "asvc", false), ("*", "anything.at.all", true),
    ])
  func matching(_ pattern: String, _ subject: String, _ expected: Bool) {
    #expect(Policy.matches(pattern, subject) == expected)
  }

  @Test("ignored and disabled findings are dropped, severities changed, the rest kept in order")
  func apply() {
    let policy = Policy(rules: [
      .importedBeforePatch: .init(severity: .info, ignore: ["yaml", "mysvc.legacy"]),
      .blockingExtension: .init(enabled: false),
      .nativeLock: .init(severity: .warning),
    ])
    let findings = [
      policyFinding(.importedBeforePatch, "yaml"), policyFinding(.importedBeforePatch, "socket"),
      policyFinding(.blockingExtension, "grpc"), policyFinding(.nativeLock, "mysvc.legacy.LOCK"),
      policyFinding(.importedBeforePatch, "mysvc.legacy.db"),
      policyFinding(.staleOriginal, "yaml.Lock"),
    ]
    let kept = policy.apply(to: findings)
    #expect(kept.map(\.subject) == ["socket", "mysvc.legacy.LOCK", "yaml.Lock"])
    #expect(kept.map(\.severity) == [.info, .warning, .error])
  }

  @Test("allowed pre-imports match by glob or parent package")
  func allowedPreImports() {
    let policy = Policy(allowedPreImports: ["debugpy", "pydevd*"])
    #expect(policy.isAllowedPreImport("debugpy"))
    #expect(policy.isAllowedPreImport("debugpy._vendored.force_pydevd"))
    #expect(policy.isAllowedPreImport("pydevd_file_utils"))
    #expect(!policy.isAllowedPreImport("debugpyx"))
    #expect(!policy.isAllowedPreImport("yaml"))
    #expect(!Policy.none.isAllowedPreImport("debugpy"))
  }
}
