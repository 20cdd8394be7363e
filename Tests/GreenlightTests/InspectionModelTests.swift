import Foundation
import PythonRuntime
import Testing

@testable import Greenlight

@Suite("inspection: pure parts")
struct InspectionModelTests {
  @Test(
    "monkey_patch arguments default as eventlet 0.41.3 defaults them",
    arguments: [
      ([:], ["thread": true, "time": true, "MySQLdb": false, "builtins": false]),
      (["thread": false], ["thread": false, "time": true, "socket": true]),
      (["socket": true], ["socket": true, "thread": false, "time": false]),
      (["all": true, "thread": false], ["thread": false, "os": true]),
      (["__builtin__": true], ["builtins": true, "thread": false]),
    ] as [([String: Bool], [String: Bool])])
  func effective(_ arguments: [String: Bool], _ expected: [String: Bool]) {
    let on = PatchCall.effective(arguments)
    for (name, value) in expected { #expect(on[name] == value, "\(name)") }
  }

  @Test(
    "a partial patch leaves core modules native only while patching others",
    arguments: [
      ([:], []), (["thread": false], ["thread"]), (["os": false, "thread": false], ["thread"]),
      (["socket": true], ["thread", "time", "select"]), (["psycopg": true], []),
      (["time": false, "select": false], ["time", "select"]),
    ] as [([String: Bool], [String])])
  func partial(_ arguments: [String: Bool], _ missing: [String]) {
    #expect(PatchCall.unpatchedCoreModules(arguments) == missing)
  }

  @Test(
    "code origins",
    arguments: [
      ("/usr/lib/python3.11/socket.py", CodeOrigin.standardLibrary),
      ("/v/lib/python3.11/site-packages/eventlet/patcher.py", .eventlet),
      ("/v/lib/python3.11/site-packages/greenlet/__init__.py", .eventlet),
      ("/v/lib/python3.11/site-packages/dns/resolver.py", .eventlet),
      ("/v/lib/python3.11/site-packages/prometheus_client/registry.py", .library),
      ("/usr/lib/python3/dist-packages/yaml/__init__.py", .library),
      ("/srv/mysvc/cmd/api.py", .service), ("bad.py", .service),
      ("<frozen importlib._bootstrap>", .standardLibrary), ("<string>", .standardLibrary),
      ("/usr/lib/python3.11-extra/x.py", .service),
      ("/srv/café/site-packages/eventlet/hubs/hub.py", .eventlet),
    ])
  func origins(_ path: String, _ origin: CodeOrigin) {
    #expect(
      CodeOrigin(path: path, standardLibrary: "/usr/lib/python3.11", service: .none) == origin)
  }

  @Test(
    "the installed package of a path: site-packages before dist-packages, by bytes",
    arguments: [
      ("/v/lib/python3.11/site-packages/oslo_config/cfg.py", "oslo_config"),
      ("/v/lib/python3.11/site-packages/six.py", "six"),
      ("/usr/lib/python3/dist-packages/yaml/__init__.py", "yaml"),
      ("/a/dist-packages/x/site-packages/y/z.py", "y"),
      ("/srv/naïve/site-packages/é/x.py", "é"),
      ("/v/site-packages/", ""),
      ("/usr/lib/python3.11/socket.py", nil), ("site-packages/a.py", nil),
    ] as [(String, String?)])
  func installedPackages(_ path: String, _ package: String?) {
    #expect(CodeOrigin.installedPackage(path) == package)
  }

  @Test(
    "the service's packages are the service's wherever they are installed",
    arguments: [
      ("/v/lib/python3.11/site-packages/nova/monkey_patch.py", CodeOrigin.service),
      ("/usr/lib/python3/dist-packages/os_vif/__init__.py", .service),
      ("/v/lib/python3.11/site-packages/novaclient/client.py", .library),
      ("/v/lib/python3.11/site-packages/oslo_config/cfg.py", .library),
      ("/v/lib/python3.11/site-packages/eventlet/patcher.py", .eventlet),
      ("/v/lib/python3.11/site-packages/pytest/__init__.py", .library),
      ("/usr/lib/python3.11/threading.py", .standardLibrary),
      ("/srv/mysvc/cmd/api.py", .service),
    ])
  func serviceOrigins(_ path: String, _ origin: CodeOrigin) {
    let service = ServicePackages(target: "nova", named: ["os_vif", "eventlet"])
    #expect(
      CodeOrigin(path: path, standardLibrary: "/usr/lib/python3.11", service: service) == origin)
    let runner = ServicePackages(target: "pytest", named: [])
    #expect(runner.names.isEmpty)
  }

  @Test(
    "an import chain from the service's line, files shortened",
    arguments: [
      ("/v/lib/python3.11/site-packages/oslo_config/cfg.py", "oslo_config/cfg.py"),
      ("/usr/lib/python3.11/logging/__init__.py", "logging/__init__.py"),
      ("/srv/mysvc/cmd/api.py", "/srv/mysvc/cmd/api.py"),
    ])
  func chainPaths(_ path: String, _ short: String) {
    #expect(
      ImportChain.short(path, standardLibrary: "/usr/lib/python3.11", display: { $0 }) == short)
  }

  @Test("an import chain reads from the service's line to the module")
  func chain() throws {
    let site = "/v/lib/python3.11/site-packages/"
    let stack = [
      StackFrame(file: site + "oslo_config/cfg.py", line: 27, function: "<module>"),
      StackFrame(file: site + "nova/monkey_patch.py", line: 59, function: "_get_concurrency"),
      StackFrame(file: site + "nova/monkey_patch.py", line: 160, function: "patch"),
    ]
    let chain = try #require(ImportChain(stack, ending: "threading", from: stack[1]))
    let text = chain.description {
      ImportChain.short($0, standardLibrary: "/usr/lib", display: { $0 })
    }
    #expect(text == "nova/monkey_patch.py:59 → oslo_config/cfg.py:27 → threading")
    #expect(chain.isIndirect && !chain.isImportsOnly)
    #expect(ImportChain.moduleName("numpy/_core/multiarray.py") == "numpy._core.multiarray")
    #expect(ImportChain.moduleName("websockify/__init__.py") == "websockify")
  }

  @Test("the line a name is bound on, and a class's line")
  func sourceLines() throws {
    let file = NSTemporaryDirectory() + "greenlight-lines-\(UUID().uuidString).py"
    try """
    import os
    from time import sleep, monotonic
    LOCK = threading.Lock()
    class Conn(socket.socket):
        pass
    """.write(toFile: file, atomically: true, encoding: .utf8)
    let lines = SourceLines(file: file)
    #expect(lines.binding(of: "sleep") == 2)
    #expect(lines.binding(of: "monotonic") == 2)
    #expect(lines.binding(of: "LOCK") == 3)
    #expect(lines.binding(of: "missing") == nil)
    #expect(lines.classLine(of: "Conn") == 4)
  }
}
