import Foundation
import Testing

@testable import Greenlight

/// How `--patch auto` reads a service's source: which lines decide, which do not.
@Suite("reading a service's source for --patch auto")
struct ServiceSourceTests {
  private func read(_ code: String) -> ServiceSource {
    ServiceSource.read(code: code, named: "svc.py")
  }

  private func mode(_ source: ServiceSource) -> PatchMode {
    PatchDecision.decide(.auto, reading: { source }, display: { $0 }).mode
  }

  @Test("a patch inside a function or under a condition decides at run time: target")
  func deciding() {
    let inFunction = read("import eventlet\ndef main():\n    eventlet.monkey_patch()\n")
    #expect(inFunction.decidingSite?.line == 3)
    #expect(mode(inFunction) == .target)
    let underSwitch = read(
      "import os\nif os.environ.get('X'):\n    import eventlet\n    eventlet.monkey_patch()\n")
    #expect(underSwitch.decidingSite?.line == 4)
    #expect(underSwitch.eventletImport?.line == 3)
    #expect(
      mode(read("from nova import monkey_patch; monkey_patch.patch(backend='threading')\n"))
        == .target)
    #expect(
      mode(
        read(
          "from oslo_service import backend\nbackend.init_backend(backend.BackendType.THREADING)\n")
      ) == .target)
  }

  @Test("an unconditional top-level eventlet.monkey_patch always patches: first")
  func unconditional() {
    let source = read(
      "import eventlet\neventlet.monkey_patch(os=False, thread=False)\nimport threading\n")
    #expect(source.unconditionalPatch?.line == 2)
    #expect(source.decidingSite == nil)
    #expect(mode(source) == .first)
  }

  @Test("comments, docstrings, definitions and aliases are not calls")
  func notCalls() {
    let source = read(
      """
      \"\"\"The service never calls monkey_patch() itself:
      monkey_patch(thread=False) would deadlock.
      \"\"\"
      import eventlet  # eventlet.monkey_patch() is greenlight's job
      monkey_patch = eventlet.patcher.monkey_patch
      def monkey_patch_later():
          pass
      x = '''monkey_patch()'''

      """)
    #expect(source.decidingSite == nil, "\(String(describing: source.decidingSite))")
    #expect(source.unconditionalPatch == nil)
    #expect(source.eventletImport?.line == 4)
    #expect(mode(source) == .first)
  }

  @Test("imports of eventlet in their spellings; other names are not")
  func eventletImports() {
    #expect(read("import os, eventlet\n").eventletImport?.line == 1)
    #expect(read("from eventlet.green import socket\n").eventletImport?.line == 1)
    #expect(read("import x; import eventlet.hubs\n").eventletImport?.line == 1)
    #expect(read("import eventlet_compat\nfrom . import eventlet\n").eventletImport == nil)
  }

  @Test("imports are followed into the service's own modules, relative ones included")
  func following() throws {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent(
      "greenlight-source-\(UUID().uuidString)"
    ).path
    defer { try? FileManager.default.removeItem(atPath: root) }
    let package = root + "/svc"
    try FileManager.default.createDirectory(
      atPath: package + "/cmd", withIntermediateDirectories: true)
    try "".write(toFile: package + "/__init__.py", atomically: true, encoding: .utf8)
    try "".write(toFile: package + "/cmd/__init__.py", atomically: true, encoding: .utf8)
    try "from ..common import wsgi\ndef main():\n    wsgi.run()\n"
      .write(toFile: package + "/cmd/api.py", atomically: true, encoding: .utf8)
    try FileManager.default.createDirectory(
      atPath: package + "/common", withIntermediateDirectories: true)
    try "".write(toFile: package + "/common/__init__.py", atomically: true, encoding: .utf8)
    try "import eventlet\ndef run():\n    eventlet.monkey_patch()\n"
      .write(toFile: package + "/common/wsgi.py", atomically: true, encoding: .utf8)
    // A tool of the same package that the entry never imports.
    try "import eventlet\neventlet.monkey_patch()\n"
      .write(toFile: package + "/cmd/tool.py", atomically: true, encoding: .utf8)
    let packages = ["svc": [package]]
    let start = ServiceSource.files(of: "svc.cmd.api", packages: packages, folders: [])
    #expect(
      start.map { $0.dropFirst(root.count) } == [
        "/svc/__init__.py", "/svc/cmd/__init__.py", "/svc/cmd/api.py",
      ])
    let source = ServiceSource.follow(start, packages: packages)
    #expect(source.decidingSite?.file == package + "/common/wsgi.py")
    #expect(source.unconditionalPatch == nil, "cmd/tool.py is not imported")
  }
}
