import Foundation
import Testing

/// The Debian package `make deb` builds, checked by lintian and run as installed: extracted
/// into a scratch root, its binary runs the example service with the test venv.
@Suite("the Debian package")
struct DebPackageTests {
  static let manPages =
    ["greenlight"]
    + ["run", "check", "test", "debug", "attach", "python"]
    .map { "greenlight-" + $0 }
  static let completions = [
    "usr/share/bash-completion/completions/greenlight",
    "usr/share/zsh/vendor-completions/_greenlight",
    "usr/share/fish/vendor_completions.d/greenlight.fish",
  ]
  static let unit = "usr/share/doc/greenlight/examples/greenlight-service.service"

  @Test("its control fields: version, the embedded Python's range, section, description")
  func fields() throws {
    _ = try #require(InstalledPackage.root, "\(InstalledPackage.missing)")
    #expect(try InstalledPackage.field("Package") == "greenlight")
    #expect(try InstalledPackage.field("Version") == InstalledPackage.version + "-1")
    #expect(try InstalledPackage.field("Architecture") == "amd64")
    // The Debian python3.11 whose core the binary embeds, and the upstream version the
    // core itself reports: the package depends on that upstream's stdlib, from it on.
    let builtUsing = try InstalledPackage.field("Built-Using")
    let embedded = try #require(
      builtUsing.wholeMatch(of: /python3\.11 \(= ([^)]+)\)/).map { String($0.1) }, "\(builtUsing)")
    let root = try #require(InstalledPackage.root)
    let core = try run(
      InstalledPackage.binary(root),
      ["python", "-c", "import platform; print(platform.python_version())"],
      environment: ["GREENLIGHT_PYTHON": Paths.venv])
    #expect(core.status == 0, "\(core.stderrText)")
    let upstream = core.stdoutText.trimmingCharacters(in: .whitespacesAndNewlines)
    #expect(embedded.hasPrefix(upstream + "-"), "\(embedded) is not of Python \(upstream)")
    let next = upstream.split(separator: ".").map { Int($0) ?? 0 }
    let depends = try InstalledPackage.field("Depends")
    #expect(depends.contains("libpython3.11-stdlib (>= \(embedded))"), "\(depends)")
    #expect(
      depends.contains("libpython3.11-stdlib (<< \(next[0]).\(next[1]).\(next[2] + 1)~)"),
      "\(depends)")
    #expect(depends.contains("libc6 (>="), "\(depends)")
    #expect(try InstalledPackage.field("Recommends") == "python3.11-venv")
    #expect(try InstalledPackage.field("Section") == "utils")
    #expect(try InstalledPackage.field("Priority") == "optional")
    #expect(try InstalledPackage.field("Description").contains("eventlet"))
  }

  @Test("lintian reports no error and no warning")
  func lintian() throws {
    _ = try #require(InstalledPackage.root, "\(InstalledPackage.missing)")
    let result = try run("/usr/bin/lintian", ["--pedantic", InstalledPackage.deb], seconds: 300)
    #expect(result.status == 0, "\(result.stdoutText)\(result.stderrText)")
    let tags = result.stdoutText.split(separator: "\n").filter { !$0.hasPrefix("N:") }
    #expect(tags.isEmpty, "\(tags)")
  }

  @Test("one version: --version, the package, JSON and SARIF tool.version, the man pages")
  func oneVersion() throws {
    let root = try #require(InstalledPackage.root, "\(InstalledPackage.missing)")
    let binary = InstalledPackage.binary(root)
    let version = try run(binary, ["--version"]).stdoutText
    #expect(version == InstalledPackage.version + "\n")
    #expect(try InstalledPackage.field("Version") == InstalledPackage.version + "-1")
    for format in ["json", "sarif"] {
      let report = try run(
        binary, ["check", "--python", Paths.venv, "--format", format, "-c", "0"])
      #expect(report.status == 0, "\(report.stderrText)")
      let object = try JSONSerialization.jsonObject(with: Data(report.stdout)) as? [String: Any]
      let tool =
        format == "json"
        ? object?["tool"] as? [String: Any]
        : ((object?["runs"] as? [[String: Any]])?.first?["tool"] as? [String: Any])?["driver"]
          as? [String: Any]
      #expect(tool?["version"] as? String == InstalledPackage.version, "\(format)")
    }
    for page in Self.manPages {
      let text = try run("/bin/zcat", ["\(root)/usr/share/man/man1/\(page).1.gz"]).stdoutText
      let header = text.split(separator: "\n").first { $0.hasPrefix(".TH") } ?? ""
      #expect(header.contains("\"greenlight \(InstalledPackage.version)\""), "\(page): \(header)")
    }
  }

  @Test("the installed binary runs the example service with the test venv")
  func servesAsInstalled() throws {
    let root = try #require(InstalledPackage.root, "\(InstalledPackage.missing)")
    let child = try ChildProcess(
      InstalledPackage.binary(root),
      ["run", "--python", Paths.venv, Paths.examples + "/hello_service.py", "--port", "0"].map {
        Array($0.utf8)
      }, removing: ["VIRTUAL_ENV"])
    #expect(child.waitForOutput("listening on http://127.0.0.1:"))
    let line = child.stdoutSoFar.split(separator: "\n").first { $0.hasPrefix("listening") }
    let port = try #require(line.flatMap { UInt16($0.split(separator: ":").last ?? "") })
    let answer = try HTTP.request("GET", port: port, path: "/")
    #expect(answer.contains("threading.Lock green, socket.socket green, time.sleep green"))
    #expect(try HTTP.request("GET", port: port, path: "/shell").hasSuffix("shell: hi\n"))
    #expect(try HTTP.request("POST", port: port, path: "/shutdown").contains("shutting down"))
    let result = child.wait(seconds: 30)
    #expect(result.termination == .exited(0), "\(result.stderrText)")
  }

  @Test("ldd: no Swift library, nothing missing")
  func sharedLibraries() throws {
    let root = try #require(InstalledPackage.root, "\(InstalledPackage.missing)")
    let ldd = try run("/usr/bin/ldd", [InstalledPackage.binary(root)])
    #expect(ldd.status == 0, "\(ldd.stderrText)")
    #expect(ldd.stdoutText.contains("libc.so.6"), "\(ldd.stdoutText)")
    #expect(!ldd.stdoutText.lowercased().contains("swift"), "\(ldd.stdoutText)")
    #expect(!ldd.stdoutText.contains("not found"), "\(ldd.stdoutText)")
    #expect(!ldd.stdoutText.contains("libpython"), "\(ldd.stdoutText)")
  }

  @Test("man pages where the package says, rendered by man -l without a warning")
  func manPages() throws {
    let root = try #require(InstalledPackage.root, "\(InstalledPackage.missing)")
    let listing = try run("/usr/bin/dpkg-deb", ["-c", InstalledPackage.deb]).stdoutText
    for page in Self.manPages {
      let path = "usr/share/man/man1/\(page).1.gz"
      #expect(listing.contains("./" + path), "\(path)")
      let rendered = try run(
        "/usr/bin/man", ["--warnings", "-E", "UTF-8", "-l", "-Tutf8", "-Z", "\(root)/\(path)"],
        environment: ["MANWIDTH": "80", "LC_ALL": "C.UTF-8"])
      #expect(rendered.status == 0, "\(page): \(rendered.stderrText)")
      #expect(rendered.stderrText.isEmpty, "\(page): \(rendered.stderrText)")
      let text = try run(
        "/usr/bin/man", ["-l", "\(root)/\(path)"], environment: ["MANWIDTH": "80"]
      )
      .stdoutText
      var sections = ["NAME", "SYNOPSIS", "DESCRIPTION", "EXIT STATUS", "EXAMPLES"]
      if page != "greenlight-attach" { sections += ["ENVIRONMENT", "FILES"] }
      // greenlight python's command line is python's own: -h is python's help.
      if page != "greenlight-python" { sections += ["OPTIONS"] }
      #expect(page != "greenlight-python" || !text.contains("\nOPTIONS\n"), "\(page)")
      for section in sections {
        #expect(text.contains("\n\(section)\n"), "\(page) has no \(section)")
      }
      if page != "greenlight-attach" {
        #expect(text.contains("greenlight.toml") && text.contains("[tool.greenlight]"), "\(page)")
      }
    }
    let root1 = try run("/usr/bin/man", ["-l", "\(root)/usr/share/man/man1/greenlight.1.gz"])
    for text in ["DISABLE_EVENTLET_PATCHING", "GREENLIGHT_PATCH", "GREENLIGHT_PYTHON", "78"] {
      #expect(root1.stdoutText.contains(text), "\(text)")
    }
  }

  @Test("completions where the package says; bash completes --script and --patch")
  func completions() throws {
    let root = try #require(InstalledPackage.root, "\(InstalledPackage.missing)")
    for path in Self.completions {
      #expect(FileManager.default.fileExists(atPath: "\(root)/\(path)"), "\(path)")
    }
    func complete(_ words: [String], in folder: String = Paths.root) throws -> [String] {
      let result = try run(
        "/bin/bash",
        [Paths.fixture("bash_complete.sh"), "\(root)/\(Self.completions[0])"]
          + [InstalledPackage.binary(root)] + words, workingDirectory: folder)
      #expect(result.status == 0, "\(result.stderrText)")
      return result.stdoutText.split(separator: "\n").map(String.init)
    }
    // The nearest .venv from the working directory: the test venv's console scripts.
    let scripts = try complete(["run", "--script", ""])
    #expect(scripts.contains("stestr") && scripts.contains("pytest"), "\(scripts)")
    #expect(try complete(["check", "--script", "ste"]) == ["stestr"])
    // --python names another venv, from a folder with none in reach.
    let elsewhere = try Paths.temporaryFolder()
    let named = try complete(["run", "--python", Paths.venv, "--script", "pyt"], in: elsewhere)
    #expect(named == ["pytest"], "\(named)")
    #expect(try complete(["run", "--script", ""], in: elsewhere).isEmpty)
    #expect(try complete(["run", "--patch", ""]) == ["auto", "first", "target", "none"])
  }

  @Test(
    "TAB in bash, zsh and fish completes --script and --patch from the installed files",
    arguments: ["bash", "zsh", "fish"])
  func tabCompletes(_ shell: String) throws {
    let root = try #require(InstalledPackage.root, "\(InstalledPackage.missing)")
    #expect(
      FileManager.default.isExecutableFile(atPath: "/usr/bin/\(shell)"),
      "no /usr/bin/\(shell): make test installs it")
    for (line, expected) in [
      ("greenlight run --script ste", "stestr"), ("greenlight check --patch ta", "target"),
    ] {
      let result = try run(
        "/usr/bin/python3", [Paths.fixture("shell_complete.py"), shell, root, line, expected],
        workingDirectory: Paths.root)
      #expect(result.status == 0, "\(shell): \(line) -> \(result.stdoutText)")
    }
  }

  @Test(
    "systemd-analyze verify accepts the example unit",
    .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/systemd-analyze")))
  func unitVerifies() throws {
    let root = try #require(InstalledPackage.root, "\(InstalledPackage.missing)")
    let text = try String(contentsOfFile: "\(root)/\(Self.unit)", encoding: .utf8)
    for line in [
      "ExecStart=/usr/bin/greenlight run --python", "RuntimeDirectoryMode=0700",
      "KillSignal=SIGTERM", "SIGUSR2", "greenlight debug --backdoor unix:/run/",
    ] {
      #expect(text.contains(line), "\(line)")
    }
    // In the scratch root: its /usr/bin/greenlight and man pages, with the system's units.
    let units = "\(root)/etc/systemd/system"
    try FileManager.default.createDirectory(atPath: units, withIntermediateDirectories: true)
    try FileManager.default.createDirectory(
      atPath: "\(root)/usr/lib/systemd", withIntermediateDirectories: true)
    _ = try run("/bin/cp", ["-a", "/usr/lib/systemd/system", "\(root)/usr/lib/systemd/"])
    _ = try run("/bin/cp", ["\(root)/\(Self.unit)", units])
    let result = try run(
      "/usr/bin/systemd-analyze", ["verify", "--root=\(root)", "greenlight-service.service"],
      environment: ["MANPATH": "\(root)/usr/share/man"])
    #expect(result.status == 0, "\(result.stdoutText)\(result.stderrText)")
    #expect(result.stderrText.isEmpty, "\(result.stderrText)")
  }
}
