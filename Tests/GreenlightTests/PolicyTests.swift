import Foundation
import Testing

@testable import Greenlight

/// A fresh folder under /tmp for one test, removed when the test ends.
private final class Sandbox {
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

private func finding(_ rule: Rule, _ subject: String) -> Finding {
  Finding(rule, message: "m", subject: subject, location: nil)
}

/// The error loading `text` as `greenlight.toml` (or `pyproject.toml`) raises.
private func loadError(_ text: String, name: String = "greenlight.toml") throws -> PolicyError? {
  let sandbox = try Sandbox()
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
    let sandbox = try Sandbox()
    try sandbox.write("greenlight.toml", "allowed-pre-imports = [\"debugpy\"]\n")
    let policy = try PolicyLoader.load(explicit: nil, workingDirectory: sandbox.folder("a/b/c"))
    #expect(policy.source == "\(sandbox.root)/greenlight.toml")
    #expect(policy.allowedPreImports == ["debugpy"])
  }

  @Test("the nearest folder wins, whichever kind of file it holds")
  func nearestWins() throws {
    let sandbox = try Sandbox()
    try sandbox.write("greenlight.toml", "allowed-pre-imports = [\"outer\"]\n")
    try sandbox.write("a/pyproject.toml", "[tool.greenlight]\nallowed-pre-imports = [\"inner\"]\n")
    let policy = try PolicyLoader.load(explicit: nil, workingDirectory: sandbox.folder("a/b"))
    #expect(policy.source == "\(sandbox.root)/a/pyproject.toml")
    #expect(policy.allowedPreImports == ["inner"])
  }

  @Test("in one folder greenlight.toml wins over pyproject.toml")
  func greenlightTomlFirst() throws {
    let sandbox = try Sandbox()
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
    let sandbox = try Sandbox()
    try sandbox.write("greenlight.toml", "allowed-pre-imports = [\"outer\"]\n")
    let folder = try sandbox.write("svc/pyproject.toml", text)
    let policy = try PolicyLoader.load(explicit: nil, workingDirectory: folder)
    #expect(policy.source == "\(sandbox.root)/greenlight.toml")
  }

  @Test("an empty [tool.greenlight] table is a policy and stops the search")
  func emptyTable() throws {
    let sandbox = try Sandbox()
    try sandbox.write("greenlight.toml", "allowed-pre-imports = [\"outer\"]\n")
    let folder = try sandbox.write("svc/pyproject.toml", "[tool.greenlight]\n")
    let policy = try PolicyLoader.load(explicit: nil, workingDirectory: folder)
    #expect(policy == Policy(source: "\(folder)/pyproject.toml"))
  }

  @Test("with no policy file the policy is none")
  func noPolicy() throws {
    let sandbox = try Sandbox()
    try sandbox.write("svc/pyproject.toml", "[project]\nname = \"svc\"\n")
    let policy = try PolicyLoader.load(explicit: nil, workingDirectory: sandbox.folder("svc"))
    #expect(policy == Policy.none)
    #expect(
      Policy.none.apply(to: [finding(.nativeLock, "a.LOCK")]) == [finding(.nativeLock, "a.LOCK")])
  }

  @Test("--policy overrides discovery and is read relative to the working directory")
  func explicitFile() throws {
    let sandbox = try Sandbox()
    try sandbox.write("greenlight.toml", "allowed-pre-imports = [\"found\"]\n")
    try sandbox.write("conf/strict.toml", "allowed-pre-imports = [\"given\"]\n")
    let policy = try PolicyLoader.load(explicit: "conf/strict.toml", workingDirectory: sandbox.root)
    #expect(policy.source == "\(sandbox.root)/conf/strict.toml")
    #expect(policy.allowedPreImports == ["given"])
  }

  @Test("--policy naming a pyproject.toml reads its [tool.greenlight] table")
  func explicitPyproject() throws {
    let sandbox = try Sandbox()
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
    let sandbox = try Sandbox()
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
    let sandbox = try Sandbox()
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
    let sandbox = try Sandbox()
    try sandbox.write("greenlight.toml", "bad = 1\n")
    let error = #expect(throws: PolicyError.self) {
      try PolicyLoader.load(explicit: nil, workingDirectory: sandbox.folder("svc"))
    }
    #expect(error?.file == "\(sandbox.root)/greenlight.toml")
    #expect(
      error?.description
        == "\(sandbox.root)/greenlight.toml:1: bad is not a policy key (expected allowed-pre-imports or rules)."
    )
  }
}

@Suite("policy: applying it")
struct PolicyApplyTests {
  static let example = """
    # greenlight.toml
    allowed-pre-imports = ["debugpy", "pydevd*"]

    [rules.GL101]
    severity = "warning"
    ignore = ["yaml", "mysvc.legacy", "vendor.*.compat"]

    [rules.GL303]
    enabled = false
    """

  @Test("the documented example reads as written")
  func example() throws {
    let sandbox = try Sandbox()
    let folder = try sandbox.write("greenlight.toml", Self.example)
    let policy = try PolicyLoader.load(explicit: nil, workingDirectory: folder)
    #expect(
      policy
        == Policy(
          source: "\(folder)/greenlight.toml", allowedPreImports: ["debugpy", "pydevd*"],
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

      [tool.greenlight.rules.GL101]
      severity = "warning"
      ignore = ["yaml", "mysvc.legacy", "vendor.*.compat"]

      [tool.greenlight.rules]
      GL303 = { enabled = false }
      """
    let sandbox = try Sandbox()
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
      finding(.importedBeforePatch, "yaml"), finding(.importedBeforePatch, "socket"),
      finding(.blockingExtension, "grpc"), finding(.nativeLock, "mysvc.legacy.LOCK"),
      finding(.importedBeforePatch, "mysvc.legacy.db"), finding(.staleOriginal, "yaml.Lock"),
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

@Suite("policy: errors name the file, line and key")
struct PolicyErrorTests {
  @Test(
    "each malformed policy is one sentence",
    arguments: [
      (
        "[rules.GL101]\nseverity = \"warning\"\n\nseverty = \"info\"\n",
        4, "rules.GL101.severty",
        "rules.GL101.severty is not a policy key (expected severity, ignore or enabled)"
      ),
      (
        "# policy\nallowed-preimports = [\"x\"]\n", 2, "allowed-preimports",
        "allowed-preimports is not a policy key (expected allowed-pre-imports or rules)"
      ),
      (
        "[rules.GL101]\nenabled = true\n[rules.GL999]\nenabled = false\n", 3, "rules.GL999",
        "rules.GL999 is not a rule id (expected "
          + "GL101, GL102, GL103, GL104, GL105, GL106, GL107, GL108, GL109, GL201, GL301, GL302, "
          + "GL303, GL401, GL402 or GL601)"
      ),
      (
        "[rules.GL101]\nseverity = \"fatal\"\n", 2, "rules.GL101.severity",
        "rules.GL101.severity is \"fatal\" (expected \"error\", \"warning\" or \"info\")"
      ),
      (
        "[rules.GL101]\nseverity = 2\n", 2, "rules.GL101.severity",
        "rules.GL101.severity is an integer (expected \"error\", \"warning\" or \"info\")"
      ),
      (
        "[rules.GL101]\nignore = \"yaml\"\n", 2, "rules.GL101.ignore",
        "rules.GL101.ignore is a string (expected an array of module names or globs)"
      ),
      (
        "[rules.GL101]\nignore = [\n  \"yaml\",\n  3,\n]\n", 2, "rules.GL101.ignore",
        "rules.GL101.ignore holds an integer (expected module names or globs)"
      ),
      (
        "allowed-pre-imports = [\"\"]\n", 1, "allowed-pre-imports",
        "allowed-pre-imports holds an empty string (expected module names or globs)"
      ),
      (
        "[rules.GL303]\nenabled = \"no\"\n", 2, "rules.GL303.enabled",
        "rules.GL303.enabled is a string (expected true or false)"
      ),
      (
        "[rules]\nGL101 = \"off\"\n", 2, "rules.GL101",
        "rules.GL101 is a string (expected a table of severity, ignore or enabled)"
      ),
      ("rules = [1]\n", 1, "rules", "rules is an array (expected a table of rule ids)"),
      (
        "\nrules.GL101.severty = \"info\"\n", 2, "rules.GL101.severty",
        "rules.GL101.severty is not a policy key (expected severity, ignore or enabled)"
      ),
      (
        "[rules]\nGL104 = { enabled = false }\nGL101 = { severity = \"info\", ignroe = [] }\n", 3,
        "rules.GL101.ignroe",
        "rules.GL101.ignroe is not a policy key (expected severity, ignore or enabled)"
      ),
      (
        "[rules.\"GL 101\"]\nenabled = false\n", 1, "rules.\"GL 101\"",
        "rules.\"GL 101\" is not a rule id (expected "
          + "GL101, GL102, GL103, GL104, GL105, GL106, GL107, GL108, GL109, GL201, GL301, GL302, "
          + "GL303, GL401, GL402 or GL601)"
      ),
    ])
  func malformed(_ text: String, _ line: Int, _ key: String, _ problem: String) throws {
    let error = try loadError(text)
    #expect(error == PolicyError(file: "greenlight.toml", line: line, key: key, problem))
    #expect(error?.description == "greenlight.toml:\(line): \(problem).")
  }

  @Test("in pyproject.toml keys are named from the top of the file")
  func pyprojectKeys() throws {
    let text = """
      [project]
      name = "svc"

      [tool.greenlight.rules.GL101]
      severty = "info"
      """
    let error = try loadError(text, name: "pyproject.toml")
    #expect(
      error?.description
        == "pyproject.toml:5: tool.greenlight.rules.GL101.severty is not a policy key (expected severity, ignore or enabled)."
    )
    #expect(error?.key == "tool.greenlight.rules.GL101.severty")
    let notTable = try loadError(
      "[tool]\nblack = {}\ngreenlight = \"on\"\n", name: "pyproject.toml")
    #expect(
      notTable?.description == "pyproject.toml:3: tool.greenlight is a string (expected a table).")
  }

  @Test("of several problems the first in the file is reported")
  func firstInFile() throws {
    let text = """
      [rules.GL303]
      severity = "loud"
      [rules.GL101]
      enabled = 1
      """
    let error = try loadError("zzz = 1\n" + text)
    #expect(error?.line == 1)
    #expect(error?.key == "zzz")
    let second = try loadError(text)
    #expect(second?.key == "rules.GL303.severity")
  }

  @Test(
    "TOML syntax errors carry the parser's line and text, and the key that starts on that line",
    arguments: [
      (
        "[rules.GL101]\nseverity = \"warning\n", 2, "rules.GL101.severity" as String?,
        "invalid TOML at rules.GL101.severity: error while parsing string: unescaped control "
          + "characters other than TAB (U+0009) are explicitly prohibited"
      ),
      (
        "[rules.GL101]\nenabled = false\nenabled = true\n", 3, "rules.GL101.enabled",
        "invalid TOML at rules.GL101.enabled: error while parsing key-value pair: "
          + "cannot redefine existing boolean 'enabled'"
      ),
      (
        "[rules.GL101\n", 1, "rules.GL101",
        "invalid TOML at rules.GL101: error while parsing table header: expected ']', saw '\\n'"
      ),
      (
        "allowed-pre-imports = [\"a\",\n  \"b\" \"c\"]\n", 2, nil,
        "invalid TOML: error while parsing array: expected comma or closing ']', saw '\"'"
      ),
    ])
  func syntax(_ text: String, _ line: Int, _ key: String?, _ problem: String) throws {
    let error = try loadError(text)
    #expect(error == PolicyError(file: "greenlight.toml", line: line, key: key, problem))
    #expect(error?.description == "greenlight.toml:\(line): \(problem).")
  }

  @Test("a pyproject.toml that mentions tool.greenlight and does not parse is an error")
  func pyprojectSyntax() throws {
    let error = try loadError(
      "[tool.greenlight]\nallowed-pre-imports = [\"a\"\n", name: "pyproject.toml")
    #expect(
      error?.description
        == "pyproject.toml:2: invalid TOML at tool.greenlight.allowed-pre-imports: "
        + "error while parsing array: encountered end-of-file.")
  }
}

@Suite("TOML key lines")
struct TOMLKeyLinesTests {
  @Test("headers, dotted, quoted and inline keys are found on their lines")
  func forms() {
    let text = """
      # a comment with [fake.header] and fake = 1
      top = 1
      [tool . "green light"]   # comment
      a.b = { c = 1, 'd' = { e = [1, 2] } }
      [[servers]]
      name = "x"
      """
    let lines = TOMLKeyLines(text)
    #expect(lines.line(of: ["top"]) == 2)
    #expect(lines.line(of: ["tool", "green light"]) == 3)
    #expect(lines.line(of: ["tool"]) == 3)
    #expect(lines.line(of: ["tool", "green light", "a", "b"]) == 4)
    #expect(lines.line(of: ["tool", "green light", "a"]) == 4)
    #expect(lines.line(of: ["tool", "green light", "a", "b", "d", "e"]) == 4)
    #expect(lines.line(of: ["servers", "name"]) == 6)
    #expect(lines.line(of: ["fake"]) == nil)
    #expect(lines.line(of: ["missing"]) == nil)
  }

  @Test("strings, multi-line strings and arrays are skipped with their lines counted")
  func skipping() {
    let text = #"""
      s = "a = [\"b\"] # not a comment"
      m = """
      fake = 1
      [fake]
      ends with quotes"""""
      l = '''
      x = 2'''
      arr = [
        "one", # comment ]
        { inner = 1 },
        [2, 3],
      ]
      last = 'c:\path'
      """#
    let lines = TOMLKeyLines(text)
    #expect(
      lines.entries.map(\.path) == [["s"], ["m"], ["l"], ["arr"], ["arr", "inner"], ["last"]])
    #expect(lines.entries.map(\.line) == [1, 2, 6, 8, 10, 13])
  }

  @Test("text that does not parse is scanned without failing")
  func invalid() {
    let lines = TOMLKeyLines("[a\nb = \"open\nc = [1, {\n= 3\n")
    #expect(lines.line(of: ["a", "b"]) == 2)
  }
}
