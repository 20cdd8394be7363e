import Foundation
import Testing

@testable import Greenlight

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
        "allowed-preimports is not a policy key (expected allowed-pre-imports, service-packages"
          + " or rules)"
      ),
      (
        "service-packages = [\"nova.cmd\"]\n", 1, "service-packages",
        "service-packages holds \"nova.cmd\" (expected top-level package names such as \"nova\")"
      ),
      (
        "service-packages = \"nova\"\n", 1, "service-packages",
        "service-packages is a string (expected an array of top-level package names such as"
          + " \"nova\")"
      ),
      (
        "service-packages = [\"nova\", 1]\n", 1, "service-packages",
        "service-packages holds an integer (expected top-level package names such as \"nova\")"
      ),
      (
        "[rules.GL101]\nenabled = true\n[rules.GL999]\nenabled = false\n", 3, "rules.GL999",
        "rules.GL999 is not a rule id (expected "
          + "GL101, GL102, GL103, GL104, GL105, GL106, GL107, GL108, GL109, GL201, GL202, GL301, "
          + "GL302, GL303, GL401, GL402, GL501, GL502, GL503 or GL601)"
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
          + "GL101, GL102, GL103, GL104, GL105, GL106, GL107, GL108, GL109, GL201, GL202, GL301, "
          + "GL302, GL303, GL401, GL402, GL501, GL502, GL503 or GL601)"
      ),
    ])
  func malformed(_ text: String, _ line: Int, _ key: String, _ problem: String) throws {
    let error = try policyLoadError(text)
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
    let error = try policyLoadError(text, name: "pyproject.toml")
    #expect(
      error?.description
        == "pyproject.toml:5: tool.greenlight.rules.GL101.severty is not a policy key (expected severity, ignore or enabled)."
    )
    #expect(error?.key == "tool.greenlight.rules.GL101.severty")
    let notTable = try policyLoadError(
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
    let error = try policyLoadError("zzz = 1\n" + text)
    #expect(error?.line == 1)
    #expect(error?.key == "zzz")
    let second = try policyLoadError(text)
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
    let error = try policyLoadError(text)
    #expect(error == PolicyError(file: "greenlight.toml", line: line, key: key, problem))
    #expect(error?.description == "greenlight.toml:\(line): \(problem).")
  }

  @Test("a pyproject.toml that mentions tool.greenlight and does not parse is an error")
  func pyprojectSyntax() throws {
    let error = try policyLoadError(
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
