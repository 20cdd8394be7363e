import Testing

/// The example eventlet.wsgi service, launched by greenlight, answering on a real socket.
@Suite("the example service")
struct ServiceExampleTests {
  @Test("serves on 127.0.0.1 with green sockets, threads and subprocess, and stops cleanly")
  func serves() throws {
    let child = try ChildProcess(
      Paths.greenlight,
      ["run", "--python", Paths.venv, Paths.examples + "/hello_service.py", "--port", "0"].map {
        Array($0.utf8)
      }, removing: ["VIRTUAL_ENV"])
    #expect(child.waitForOutput("listening on http://127.0.0.1:"))
    let line = child.stdoutSoFar.split(separator: "\n").first { $0.hasPrefix("listening") }
    let port = try #require(line.flatMap { UInt16($0.split(separator: ":").last ?? "") })

    let root = try HTTP.request("GET", port: port, path: "/")
    #expect(root.hasPrefix("HTTP/1.1 200 OK"))
    #expect(root.contains("threading.Lock green, socket.socket green, time.sleep green"))
    #expect(try HTTP.request("GET", port: port, path: "/shell").hasSuffix("shell: hi\n"))
    #expect(try HTTP.request("GET", port: port, path: "/nowhere").hasPrefix("HTTP/1.1 404"))
    #expect(try HTTP.request("POST", port: port, path: "/shutdown").contains("shutting down"))

    let result = child.wait(seconds: 30)
    #expect(result.termination == .exited(0), "\(result.stderrText)")
  }
}
