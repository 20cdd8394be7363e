@testable import PythonRuntime
import Testing

/// Telling CPython builds apart from what can be read without running them.
@Suite("CPython builds")
struct PythonBuildTests {
  @Test(
    "full versions from pyvenv.cfg and virtualenv spellings",
    arguments: [
      ("3.11.7", "3.11.7"), (" 3.11.2 ", "3.11.2"), ("3.11.7.final.0", "3.11.7"),
      ("3.11.2+", "3.11.2"), ("3.11", nil), ("", nil), ("x.y.z", nil),
    ] as [(String, String?)])
  func fullVersions(_ text: String, _ expected: String?) {
    #expect(PythonBuild.fullVersion(text) == expected)
  }

  @Test("a venv's build is its version and the parent of its home, resolved")
  func environment() {
    let pyenv = PythonBuild.ofEnvironment(
      configuration: "home = /nonexistent/versions/3.11.7/bin\n"
        + "include-system-site-packages = false\nversion = 3.11.7\n")
    #expect(pyenv == PythonBuild(version: "3.11.7", prefix: "/nonexistent/versions/3.11.7"))
    // /usr/bin exists here: the prefix is its real parent.
    let debian = PythonBuild.ofEnvironment(configuration: "home = /usr/bin\nversion = 3.11.2\n")
    #expect(debian == PythonBuild(version: "3.11.2", prefix: "/usr"))
    let bare = PythonBuild.ofEnvironment(configuration: "include-system-site-packages = false\n")
    #expect(bare == PythonBuild(version: nil, prefix: nil))
  }

  @Test("pyvenv.cfg's lines by bytes: CRLF, spaces, `=` in a value, a repeated key")
  func keyValues() {
    let values = PythonBuild.keyValues(
      "home = /opt/grüne/bin\r\nversion=3.11.2\r\n\tprompt = a = b \nno pair\n = empty key\n"
        + "version = 3.11.7\n")
    #expect(values.pairs.map(\.key) == ["home", "version", "prompt", "", "version"])
    #expect(values["home"] == "/opt/grüne/bin")
    #expect(values["version"] == "3.11.7")
    #expect(values["prompt"] == "a = b")
    #expect(values[""] == "empty key")
    #expect(values["no pair"] == nil)
    #expect(PythonInstallation.venvVersion(values)?.description == "3.11")
  }

  @Test("PY_VERSION from patchlevel.h")
  func patchLevel() {
    let header = """
      #define PY_RELEASE_SERIAL   0

      /* Version as a string */
      #define PY_VERSION          "3.11.7"
      /*--end constants--*/
      """
    #expect(PythonBuild.patchLevelVersion(header) == "3.11.7")
    #expect(PythonBuild.patchLevelVersion("#define PY_MINOR_VERSION 11\n") == nil)
  }

  @Test("builds match on every part known to both")
  func matching() {
    let linked = PythonBuild(version: "3.11.2", prefix: "/usr")
    #expect(linked.matches(PythonBuild(version: "3.11.2", prefix: "/usr")))
    #expect(linked.matches(PythonBuild(version: nil, prefix: "/usr")))
    #expect(linked.matches(PythonBuild(version: "3.11.2", prefix: nil)))
    #expect(!linked.matches(PythonBuild(version: "3.11.7", prefix: "/usr")))
    #expect(!linked.matches(PythonBuild(version: "3.11.2", prefix: "/opt/python")))
    #expect(!linked.matches(PythonBuild(version: nil, prefix: "/usr/local")))
  }

  @Test("the linked build is Debian's 3.11 at /usr")
  func linked() {
    let linked = PythonBuild.linked
    #expect(linked.prefix == "/usr")
    #expect(linked.version?.hasPrefix("3.11.") == true)
    #expect(
      PythonBuild(version: "3.11.7", prefix: "/opt/p").describe(fallback: .linked)
        == "CPython 3.11.7 at /opt/p")
    #expect(PythonBuild(version: nil, prefix: nil).describe(fallback: .linked) == "CPython 3.11")
  }

  @Test("an installation of the linked major.minor but another build is refused")
  func compatibility() throws {
    let linked = PythonBuild(version: "3.11.2", prefix: "/usr")
    let version = PythonVersion(major: 3, minor: 11)
    let other = PythonInstallation(
      executable: "/v/bin/python", environmentRoot: "/v", version: version,
      build: PythonBuild(version: "3.11.7", prefix: "/opt/p"))
    #expect(throws: InstallationError.buildMismatch(path: "/v", found: other.build, linked: linked))
    {
      try other.requireCompatible(with: version, build: linked, given: "/v")
    }
    let same = PythonInstallation(
      executable: "/v/bin/python", environmentRoot: "/v", version: version, build: linked)
    try same.requireCompatible(with: version, build: linked, given: "/v")
    let older = PythonInstallation(
      executable: "/v/bin/python", environmentRoot: "/v",
      version: PythonVersion(major: 3, minor: 10),
      build: PythonBuild(version: "3.10.13", prefix: "/opt/p"))
    #expect(
      throws: InstallationError.versionMismatch(
        path: "/v", found: PythonVersion(major: 3, minor: 10), linked: version)
    ) {
      try older.requireCompatible(with: version, build: linked, given: "/v")
    }
  }
}
