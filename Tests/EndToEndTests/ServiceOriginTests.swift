import Foundation
import Testing

/// The service is the target's own package wherever it is installed (nova and swift from
/// PyPI in `.venv-sweep`), and the packages a policy's `service-packages` names: findings
/// caused by an import chain that started in the service point at the service's line and
/// show the chain.
@Suite(
  "the service's own lines, wherever it is installed",
  .enabled(
    if: FileManager.default.fileExists(atPath: SweepTests.sweepVenv + "/bin/python"),
    "needs .venv-sweep (make .venv-sweep/.installed: nova 34.0.0 and swift 2.38.3 from PyPI)"))
struct ServiceOriginTests {
  static let site = SweepTests.sweepVenv + "/lib/python3.11/site-packages"
  static let novncproxy = [
    "check", "--patch", "target", "--python", SweepTests.sweepVenv, "--format", "json",
    "--entry", "nova.cmd.novncproxy:main",
  ]

  /// The 1-based line of `nova/monkey_patch.py` holding `text`.
  static func novaLine(_ text: String) throws -> Int {
    let source = try String(contentsOfFile: site + "/nova/monkey_patch.py", encoding: .utf8)
    let lines = source.components(separatedBy: "\n")
    return try #require(lines.firstIndex { $0.contains(text) }) + 1
  }

  /// The report's findings of `rule`.
  static func findings(_ rule: String, _ result: ChildResult) throws -> [[String: Any]] {
    let document = try JSONSerialization.jsonObject(with: Data(result.stdout)) as? [String: Any]
    let all = try #require(document?["findings"] as? [[String: Any]], "\(result.stderrText)")
    return all.filter { $0["rule"] as? String == rule }
  }

  static func file(_ finding: [String: Any]) -> String {
    (finding["location"] as? [String: Any])?["file"] as? String ?? ""
  }

  @Test("novncproxy: GL101 is at nova's `from oslo_config import cfg`, with the chain")
  func novaImportChain() throws {
    let result = try greenlight(
      Self.novncproxy, workingDirectory: try Paths.temporaryFolder(), seconds: 300)
    let gl101 = try Self.findings("GL101", result)
    #expect(gl101.count == 1, "\(gl101)")
    let finding = try #require(gl101.first)
    let line = try Self.novaLine("from oslo_config import cfg")
    #expect(Self.file(finding).hasSuffix("site-packages/nova/monkey_patch.py"), "\(finding)")
    #expect((finding["location"] as? [String: Any])?["line"] as? Int == line)
    #expect(line < (try Self.novaLine("eventlet.monkey_patch()")))
    #expect(finding["subject"] as? String == "oslo_config")
    #expect(finding["severity"] as? String == "error")
    let message = finding["message"] as? String ?? ""
    #expect(
      message.contains("nova/monkey_patch.py:\(line) → oslo_config/cfg.py:27 → "), "\(message)")
    #expect(message.contains(" → threading"), "\(message)")
    #expect(message.contains("netaddr/strategy/ipv4.py:11 → socket"), "\(message)")
    // No GL101 is at a library's line any more.
    #expect(
      !gl101.contains {
        Self.file($0).contains("oslo_config/") || Self.file($0).contains("netaddr/")
      })
  }

  @Test("nova-compute under --patch target runs native: no findings")
  func novaCompute() throws {
    let result = try greenlight(
      [
        "check", "--patch", "target", "--python", SweepTests.sweepVenv, "--entry",
        "nova.cmd.compute:main",
      ], workingDirectory: try Paths.temporaryFolder(), seconds: 300)
    #expect(result.status == 0, "\(result.stderrText)")
    #expect(
      result.stderrText.hasSuffix(
        "greenlight: native threads: nothing patched\ngreenlight: no findings\n"),
      "\(result.stderrText)")
  }

  @Test("a policy's service-packages makes oslo_config's own line the service's")
  func policyServicePackages() throws {
    let folder = try Paths.temporaryFolder()
    try "service-packages = [\"oslo_config\"]\n".write(
      toFile: folder + "/greenlight.toml", atomically: true, encoding: .utf8)
    let result = try greenlight(Self.novncproxy, workingDirectory: folder, seconds: 300)
    let gl101 = try Self.findings("GL101", result)
    let threading = try #require(
      gl101.first { ($0["message"] as? String ?? "").contains("→ threading") }, "\(gl101)")
    #expect(Self.file(threading).hasSuffix("site-packages/oslo_config/cfg.py"), "\(threading)")
    #expect((threading["location"] as? [String: Any])?["line"] as? Int == 27)
    #expect(
      (threading["message"] as? String ?? "").contains("oslo_config/cfg.py:27 → logging/"),
      "\(threading)")
    // oslo_config is the service's now: none of its modules is GL101's subject; nova imported
    // it before the patch, which is GL104's.
    #expect(!gl101.contains { ($0["subject"] as? String ?? "").hasPrefix("oslo_config") })
    let gl104 = try Self.findings("GL104", result)
    #expect(gl104.count == 1, "\(gl104)")
    let message = gl104.first?["message"] as? String ?? ""
    #expect(message.contains("oslo_config.cfg"), "\(gl104)")
  }

  @Test("swift's proxy patches in run_wsgi: one GL104 naming swift's modules")
  func swiftLatePatch() throws {
    let proxy = try SwiftProxy(["run", "--patch", "target"])
    #expect(try HTTP.request("GET", port: proxy.port, path: "/healthcheck").contains("OK"))
    let text = proxy.stop().stderrText
    #expect(text.components(separatedBy: "GL104 late-patch").count == 2, "\(text)")
    let line = try #require(
      text.split(separator: "\n").first { $0.contains("error GL104 late-patch") }, "\(text)")
    for module in ["swift.common.swob", "swift.common.ring.ring", "swift.proxy.controllers.obj"] {
      #expect(line.contains(module), "\(line)")
    }
    #expect(line.contains("the service had imported "), "\(line)")
    #expect(line.contains("(the service's imports loaded "), "\(line)")
    #expect(text.contains("  swift.common.utils at \(Self.site)/swift/common/utils/__init__.py:"))
    // What swift's own modules imported besides patch targets is that one finding's, not a
    // GL101 warning each.
    #expect(!text.contains("warning GL101 imported-before-patch: json was loaded"), "\(text)")
    #expect(text.contains("error GL101 imported-before-patch: importlib.metadata"), "\(text)")
    #expect(text.contains("Imported through swift/__init__.py:"), "\(text)")
  }
}
