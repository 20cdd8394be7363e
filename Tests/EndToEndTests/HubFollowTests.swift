import Foundation
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// A service that installs a hub of its own with `eventlet.hubs.use_hub` after greenlight
/// started watching (swift's `run_server` does, after it patched): the watch's timer, the
/// backdoor and the stack dump follow the new hub.
@Suite("following the service's hub")
struct HubFollowTests {
  static let fixture = Paths.fixture("watch/replaced_hub.py")

  @Test(
    "use_hub by name, class or default after the patch: GL501 names the blocker on the new hub",
    arguments: [["--patch", "target"], []], ["name", "class", "default"])
  func replacedHub(_ options: [String], _ how: String) throws {
    let result = try greenlight(
      ["run", "--python", Paths.venv] + options + [Self.fixture, how],
      workingDirectory: Paths.root, environment: ["PYTHONWARNINGS": "ignore"])
    #expect(result.status == 0, "\(result.stderrText)")
    #expect(result.stdoutText.hasPrefix("done \(how) new hub"), "\(result.stdoutText)")
    let text = result.stderrText
    #expect(text.contains("error GL501 hub-blocked"), "\(text)")
    #expect(text.contains("blocking_sleep_on_new_hub waits in a call that does not yield"))
    #expect(text.contains("greenlight: GL501 hub-blocked: the hub ran again after"), "\(text)")
    #expect(text.contains("greenlight: run-time findings: GL501 ×1"), "\(text)")
  }

  @Test("under debug: the backdoor answers and the dump names the replaced hub")
  func replacedHubUnderDebug() throws {
    let socket = try Paths.temporaryFolder() + "/bd/bd.sock"
    let service = try ChildProcess(
      Paths.greenlight,
      ["debug", "--python", Paths.venv, "--backdoor", "unix:\(socket)", Self.fixture, "name"].map {
        Array($0.utf8)
      }, environment: ["PYTHONWARNINGS": "ignore"], removing: ["VIRTUAL_ENV"])
    // The service blocks its new hub for 0.6 s and ends after 1.5 s: attach while it runs.
    var answered = ""
    for _ in 0..<100 where answered.isEmpty {
      usleep(50_000)
      if FileManager.default.fileExists(atPath: socket) {
        answered = try DebugTests.attach(
          socket, "import eventlet.hubs; print(type(eventlet.hubs.get_hub()).__module__)\n"
        ).stdoutText
      }
    }
    #expect(answered == "eventlet.hubs.poll\n", "the console runs on the new hub")
    let result = service.wait(seconds: 60)
    #expect(result.termination == .exited(0), "\(result.stderrText)")
    #expect(result.stderrText.contains("blocking_sleep_on_new_hub"), "\(result.stderrText)")
  }
}

/// swift 2.38.3's proxy from `.venv-sweep` on 127.0.0.1 (`workers = 0`), with a paste filter
/// of the tests' own that blocks the hub on `/slow`: swift's `run_server` calls
/// `eventlet.hubs.use_hub` after it patched. `-v` keeps swift's log on stderr: without it,
/// swift's `capture_stdio` puts /dev/null on descriptors 0–2 once it serves, greenlight's
/// reports included.
@Suite(
  "swift's proxy on the hub it installs", .serialized,
  .enabled(
    if: FileManager.default.fileExists(atPath: SwiftProxy.venv + "/bin/swift-proxy-server"),
    "swift's proxy needs .venv-sweep (make .venv-sweep/.installed: swift 2.38.3 from PyPI)"))
struct SwiftProxyTests {
  @Test("run --patch target: /healthcheck answers, the filter's sleep is GL501")
  func watchFollowsRunServer() throws {
    let proxy = try SwiftProxy(["run", "--patch", "target"])
    #expect(try HTTP.request("GET", port: proxy.port, path: "/slow").contains("slept"))
    #expect(try HTTP.request("GET", port: proxy.port, path: "/healthcheck").contains("OK"))
    // The watchdog sees the stall's end at its next look (a quarter of the threshold): give
    // it time before SIGTERM, which ends the proxy with no atexit (swift has no handler for
    // it with workers = 0), so no summary either.
    usleep(500_000)
    let result = proxy.stop()
    #expect(result.termination == .signalled(SIGTERM))
    let text = result.stderrText
    #expect(text.contains("error GL501 hub-blocked"), "\(text)")
    #expect(text.contains("slow_path_sleep waits in a call that does not yield"), "\(text)")
    #expect(
      text.contains("  slow_path_sleep at \(SwiftProxy.filterFolder)/greenlight_slow_filter.py:"))
    #expect(text.contains("greenlight: GL501 hub-blocked: the hub ran again after"), "\(text)")
  }

  @Test("debug --backdoor: attach answers, --dump and SIGUSR2 list the wsgi server's green threads")
  func backdoorFollowsRunServer() throws {
    let socket = try Paths.temporaryFolder() + "/bd/bd.sock"
    let proxy = try SwiftProxy(["debug", "--backdoor", "unix:\(socket)"])
    let two = try DebugTests.attach(socket, "print(1+1)\n")
    #expect(two.termination == .exited(0))
    #expect(two.stdoutText == "2\n", "\(two.stderrText)")
    let dump = try DebugTests.attach(socket, "", ["--dump"]).stdoutText
    #expect(dump.contains("eventlet/wsgi.py"), "\(dump)")
    #expect(dump.contains("swift/common/wsgi.py"), "\(dump)")
    #expect(dump.contains("in run_server"), "\(dump)")
    #expect(dump.contains("eventlet hub replaced by use_hub"), "\(dump)")
    proxy.child.send(SIGUSR2)
    // The handler runs on the hub's thread before the next line the backdoor runs.
    _ = try DebugTests.attach(socket, "print('after')\n")
    #expect(try HTTP.request("GET", port: proxy.port, path: "/healthcheck").contains("OK"))
    let result = proxy.stop()
    let text = result.stderrText
    #expect(text.contains("greenlight: stacks of process \(proxy.child.pid)"), "\(text)")
    #expect(text.contains("in run_server"), "\(text)")
  }
}

/// A one-node swift proxy in a temporary folder: swift.conf, the three rings and a
/// proxy-server.conf on a free port, started under greenlight; `stop()` sends SIGTERM.
struct SwiftProxy {
  static let venv = Paths.root + "/.venv-sweep"
  static let filterFolder = Paths.fixture("swift_proxy")

  let port: UInt16
  let child: ChildProcess

  init(_ command: [String]) throws {
    let folder = try Paths.temporaryFolder()
    port = try freePort()
    try Self.writeConfiguration(in: folder, port: port)
    child = try ChildProcess(
      Paths.greenlight,
      (command + [
        "--python", Self.venv, "--script", "swift-proxy-server", folder + "/proxy-server.conf",
        "-v",
      ]).map { Array($0.utf8) }, workingDirectory: folder,
      environment: ["PYTHONPATH": Self.filterFolder, "PYTHONWARNINGS": "ignore"],
      removing: ["VIRTUAL_ENV"])
    var healthy = false
    for _ in 0..<300 where !healthy {
      usleep(100_000)
      healthy = (try? HTTP.request("GET", port: port, path: "/healthcheck"))?.contains("OK") == true
    }
    try #require(healthy, "the proxy serves /healthcheck")
  }

  func stop() -> ChildResult {
    child.send(SIGTERM)
    return child.wait(seconds: 60)
  }

  private static func writeConfiguration(in folder: String, port: UInt16) throws {
    try """
    [swift-hash]
    swift_hash_path_suffix = greenlight
    swift_hash_path_prefix = greenlight

    [storage-policy:0]
    name = gold
    default = yes

    """.write(toFile: folder + "/swift.conf", atomically: true, encoding: .utf8)
    for ring in ["account", "container", "object"] {
      for step in [
        ["create", "8", "1", "1"], ["add", "r1z1-127.0.0.1:6200/d1", "100"], ["rebalance"],
      ] {
        let made = try ChildProcess.run(
          venv + "/bin/python",
          ([venv + "/bin/swift-ring-builder", "\(folder)/\(ring).builder"] + step).map {
            Array($0.utf8)
          })
        try #require(made.status == 0, "swift-ring-builder \(step): \(made.stderrText)")
      }
    }
    try """
    [DEFAULT]
    bind_ip = 127.0.0.1
    bind_port = \(port)
    workers = 0
    swift_dir = \(folder)

    [pipeline:main]
    pipeline = healthcheck slow proxy-server

    [app:proxy-server]
    use = egg:swift#proxy

    [filter:healthcheck]
    use = egg:swift#healthcheck

    [filter:slow]
    paste.filter_factory = greenlight_slow_filter:filter_factory
    slow_path = /slow

    """.write(toFile: folder + "/proxy-server.conf", atomically: true, encoding: .utf8)
  }
}
