import Foundation
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// `greenlight debug` and `greenlight attach`: the backdoor's socket and folder, stale and
/// wrong files, the scripted console, the stack dump, and GL402 for a service's own
/// `thread=False`.
@Suite("debug")
struct DebugTests {
  /// Starts the fixture service under `greenlight debug` and waits until it serves.
  static func startService(_ options: [String], arguments: [String] = []) throws -> ChildProcess {
    let child = try ChildProcess(
      Paths.greenlight,
      (["debug", "--python", Paths.venv] + options + [Paths.fixture("debug_service.py")]
        + arguments).map { Array($0.utf8) },
      removing: ["VIRTUAL_ENV"])
    #expect(child.waitForOutput("ready\n"))
    return child
  }

  /// `greenlight attach` with piped input.
  static func attach(_ target: String, _ input: String, _ options: [String] = []) throws
    -> ChildResult
  {
    try greenlight(["attach", target] + options, stdin: Array(input.utf8), seconds: 60)
  }

  static func mode(_ path: String) -> mode_t? {
    var status = stat()
    return lstat(path, &status) == 0 ? status.st_mode : nil
  }

  @Test("the backdoor: a 0600 socket in a 0700 folder, a scripted console, removed at exit")
  func backdoor() throws {
    let folder = try Paths.temporaryFolder() + "/run/svc"
    let service = try Self.startService(["--backdoor", "unix:\(folder)/{pid}.sock"])
    let socket = "\(folder)/\(service.pid).sock"
    #expect(Self.mode(socket).map { $0 & S_IFMT } == S_IFSOCK)
    #expect(Self.mode(socket).map { $0 & 0o777 } == 0o600)
    #expect(Self.mode(folder).map { $0 & 0o777 } == 0o700)

    let two = try Self.attach(socket, "print(1+1)\n")
    #expect(two.termination == .exited(0))
    #expect(two.stdoutText == "2\n")

    let inspected = try Self.attach(socket, "state['ticks'] > 0\n1/0\nfor i in range(2):\n  i\n")
    #expect(inspected.termination == .exited(1), "a line raised")
    #expect(inspected.stdoutText.hasPrefix("True\nTraceback (most recent call last):\n"))
    #expect(inspected.stdoutText.hasSuffix("ZeroDivisionError: division by zero\n0\n1\n"))

    // exit() ends the session, never the service.
    let exited = try Self.attach(socket, "print('bye')\nexit()\nprint('not run')\n")
    #expect(exited.termination == .exited(0))
    #expect(exited.stdoutText == "bye\n")

    // frames() finds parked green threads' frames by qualified name.
    let found = try Self.attach(socket, "len(frames('__main__.parked_in_wait'))\n")
    #expect(found.stdoutText == "2\n", "\(found.stderrText)")

    #expect(try Self.attach(socket, "stop.send()\n").termination == .exited(0))
    let result = service.wait(seconds: 60)
    #expect(result.termination == .exited(0), "\(result.stderrText)")
    #expect(result.stdoutText == "ready\nstopped after ticks\n")
    #expect(
      result.stderrText
        == "greenlight: backdoor on unix:\(socket); attach with: greenlight attach \(socket)\n")
    #expect(Self.mode(socket) == nil, "the socket is removed at exit")
  }

  @Test("attach on a terminal: banner, prompts, a block, Ctrl-D detaches; the service goes on")
  func interactiveAttach() throws {
    let folder = try Paths.temporaryFolder() + "/bd"
    let service = try Self.startService(["--backdoor", "unix:\(folder)/bd.sock"])
    let steps: [[String?]] = [
      [">>> ", "state['ticks'] > 0"], [">>> ", "for i in range(2):"], ["... ", "  print(i)"],
      ["... ", ""], [">>> ", nil],
    ]
    let json = String(decoding: try JSONEncoder().encode(steps), as: UTF8.self)
    let session = try python([
      Paths.fixture("pty_driver.py"), json, Paths.greenlight, "attach", folder + "/bd.sock",
    ])
    let transcript = session.stdoutText.replacing("\r\n", with: "\n")
    #expect(session.termination == .exited(0), "\(transcript)")
    #expect(transcript.hasPrefix("greenlight backdoor in process \(service.pid) (Python 3.11"))
    #expect(transcript.contains("Ctrl-D detaches and the service goes on.\n>>> "))
    #expect(transcript.contains(">>> state['ticks'] > 0\nTrue\n>>> for i in range(2):\n"))
    #expect(transcript.contains("...   print(i)\n... \n0\n1\n>>> "), "\(transcript)")
    // Detached: the service still answers.
    #expect(
      try Self.attach(folder + "/bd.sock", "print('still here')\n").stdoutText == "still here\n")
    _ = try Self.attach(folder + "/bd.sock", "stop.send()\n")
    #expect(service.wait(seconds: 60).termination == .exited(0))
  }

  @Test("a forked child does not take the parent's backdoor clients")
  func forkedChild() throws {
    let folder = try Paths.temporaryFolder() + "/bd"
    let service = try ChildProcess(
      Paths.greenlight,
      [
        "debug", "--python", Paths.venv, "--backdoor", "unix:\(folder)/bd.sock",
        Paths.fixture("forking_service.py"),
      ].map { Array($0.utf8) }, removing: ["VIRTUAL_ENV"])
    #expect(service.waitForOutput("ready\n"))
    for _ in 0..<8 {
      let answer = try Self.attach(folder + "/bd.sock", "import os; print(os.getpid())\n")
      #expect(answer.stdoutText == "\(service.pid)\n")
    }
    _ = try Self.attach(folder + "/bd.sock", "stop.send()\n")
    let result = service.wait(seconds: 60)
    #expect(result.termination == .exited(0), "\(result.stderrText)")
    #expect(result.stdoutText == "ready\nstopped\n")
  }

  @Test("the example service: attach, read a local of main(), dump, detach; it still answers")
  func helloService() throws {
    let socket = try Paths.temporaryFolder() + "/hello/bd.sock"
    let service = try ChildProcess(
      Paths.greenlight,
      [
        "debug", "--python", Paths.venv, "--backdoor", "unix:\(socket)",
        Paths.examples + "/hello_service.py",
      ].map { Array($0.utf8) }, removing: ["VIRTUAL_ENV"])
    #expect(service.waitForOutput("listening on http://127.0.0.1:"))
    let port = try #require(
      service.stdoutSoFar.split(separator: ":").last.flatMap {
        UInt16($0.trimmingCharacters(in: .whitespacesAndNewlines))
      })
    let read = try Self.attach(socket, "frames('__main__.main')[0].f_locals['service'].port\n")
    #expect(read.stdoutText == "\(port)\n", "\(read.stderrText)")
    let dump = try Self.attach(socket, "", ["--dump"])
    #expect(dump.stdoutText.contains("eventlet hub (parked)"))
    #expect(dump.stdoutText.contains("MainThread (parked)"))
    #expect(dump.stdoutText.contains("hello_service.py"))
    #expect(try HTTP.request("GET", port: port, path: "/").contains("hello from green thread"))
    #expect(try HTTP.request("POST", port: port, path: "/shutdown").contains("shutting down"))
    #expect(service.wait(seconds: 60).termination == .exited(0))
    #expect(Self.mode(socket) == nil)
  }

  @Test("killed by SIGTERM or SIGHUP: dies by the signal, and the socket goes too")
  func killedBySignal() throws {
    for signal in [SIGTERM, SIGHUP] {
      let folder = try Paths.temporaryFolder() + "/bd"
      let service = try Self.startService(["--backdoor", "unix:\(folder)/bd.sock"])
      #expect(Self.mode(folder + "/bd.sock") != nil)
      service.send(signal)
      #expect(service.wait(seconds: 60).termination == .signalled(signal))
      #expect(Self.mode(folder + "/bd.sock") == nil)
    }
  }

  @Test("an existing folder must be the user's and not writable by group or others")
  func unsafeFolder() throws {
    let folder = try Paths.temporaryFolder()
    for mode: mode_t in [0o770, 0o757] {
      chmod(folder, mode)
      let result = try greenlight([
        "debug", "--python", Paths.venv, "--backdoor", "unix:\(folder)/bd.sock", "-c", "pass",
      ])
      #expect(result.termination == .exited(64))
      #expect(result.stderrText.contains("is writable by group or others"), "\(result.stderrText)")
      #expect(result.stderrText.split(separator: "\n").count == 1)
    }
  }

  @Test("a stale socket of a process that is gone is replaced")
  func staleSocket() throws {
    let folder = try Paths.temporaryFolder()
    chmod(folder, 0o700)
    let path = folder + "/bd.sock"
    let made = try python(["-c", "import socket; socket.socket(socket.AF_UNIX).bind('\(path)')"])
    #expect(made.termination == .exited(0))
    #expect(Self.mode(path).map { $0 & S_IFMT } == S_IFSOCK)
    let refused = try Self.attach(path, "")
    #expect(refused.termination == .exited(69))
    #expect(refused.stderrText.contains("the connection was refused"), "\(refused.stderrText)")

    let service = try Self.startService(["--backdoor", "unix:\(path)"])
    #expect(try Self.attach(path, "print('replaced')\n").stdoutText == "replaced\n")
    // A second service cannot take a live backdoor's path.
    let second = try greenlight([
      "debug", "--python", Paths.venv, "--backdoor", "unix:\(path)", "-c", "pass",
    ])
    #expect(second.termination == .exited(64))
    #expect(second.stderrText.contains("already serves a backdoor"), "\(second.stderrText)")
    _ = try Self.attach(path, "stop.send()\n")
    #expect(service.wait(seconds: 60).termination == .exited(0))
  }

  @Test("any other file at the path is refused and left alone")
  func wrongFile() throws {
    let folder = try Paths.temporaryFolder()
    chmod(folder, 0o700)
    let path = folder + "/notes.txt"
    try "keep me\n".write(toFile: path, atomically: false, encoding: .utf8)
    let result = try greenlight([
      "debug", "--python", Paths.venv, "--backdoor", "unix:\(path)", "-c", "pass",
    ])
    #expect(result.termination == .exited(64))
    #expect(result.stderrText.contains("exists and is not a socket"), "\(result.stderrText)")
    #expect(result.stderrText.split(separator: "\n").count == 1)
    #expect(try String(contentsOfFile: path, encoding: .utf8) == "keep me\n")
  }

  @Test("tcp backdoors listen on loopback only")
  func tcpLoopbackOnly() throws {
    for address in ["tcp:0.0.0.0:7000", "tcp:192.168.1.1:7000", "tcp:[::]:7000"] {
      let result = try greenlight([
        "debug", "--python", Paths.venv, "--backdoor", address, "-c", "pass",
      ])
      #expect(result.termination == .exited(64))
      #expect(result.stderrText.contains("loopback address only"), "\(result.stderrText)")
    }
    let port = try freePort()
    let service = try Self.startService(["--backdoor", "tcp:127.0.0.1:\(port)"])
    let answer = try Self.attach("tcp:127.0.0.1:\(port)", "print(6*7)\nstop.send()\n")
    #expect(answer.stdoutText == "42\n")
    #expect(service.wait(seconds: 60).termination == .exited(0))
  }

  @Test("attach names a missing socket in one sentence")
  func attachMissing() throws {
    let result = try Self.attach("/nonexistent/greenlight/bd.sock", "print(1)\n")
    #expect(result.termination == .exited(69))
    #expect(result.stderrText.hasPrefix("greenlight: error: no backdoor at /nonexistent/"))
    #expect(result.stderrText.split(separator: "\n").count == 1)
  }

  @Test("SIGUSR2 dumps every green and native thread, secrets masked; the service goes on")
  func signalDump() throws {
    let folder = try Paths.temporaryFolder() + "/bd"
    let service = try Self.startService(
      ["--backdoor", "unix:\(folder)/bd.sock"],
      arguments: [
        "--password", "hunter2", "api_token=s3cret", "--verbose",
        "--connection=mysql://nova:dbpass@db/nova",
      ])
    service.send(SIGUSR2)
    // The dump is written before the next line the backdoor runs.
    _ = try Self.attach(folder + "/bd.sock", "print('after')\n")
    _ = try Self.attach(folder + "/bd.sock", "stop.send()\n")
    let result = service.wait(seconds: 60)
    #expect(result.termination == .exited(0))
    #expect(result.stdoutText == "ready\nstopped after ticks\n")
    let dump = result.stderrText
    #expect(dump.contains("greenlight: stacks of process \(service.pid)"), "\(dump)")
    #expect(dump.contains("native thread MainThread"))
    #expect(dump.contains("in ticking_worker"))
    #expect(dump.contains("in parked_in_wait"))
    #expect(dump.contains("green thread 0x") && dump.contains("named-green-worker (parked)"))
    #expect(
      dump.contains(
        "'--password', '***', 'api_token=***', '--verbose', '--connection=mysql://nova:***@db/nova'"
      ))
    #expect(!dump.contains("hunter2") && !dump.contains("s3cret") && !dump.contains("dbpass"))
  }

  @Test("attach --dump and --dump-file show every green thread")
  func attachDumpAndFile() throws {
    let folder = try Paths.temporaryFolder()
    let dumpFile = folder + "/stacks.txt"
    let service = try Self.startService([
      "--backdoor", "unix:\(folder)/bd/bd.sock", "--dump-signal", "USR1", "--dump-file", dumpFile,
    ])
    let dump = try Self.attach(folder + "/bd/bd.sock", "", ["--dump"])
    #expect(dump.termination == .exited(0))
    #expect(dump.stdoutText.contains("in ticking_worker"), "\(dump.stdoutText)")
    #expect(dump.stdoutText.contains("named-green-worker (parked)"))
    #expect(dump.stdoutText.contains("GreenThread ticking_worker() (parked)"))
    #expect(dump.stdoutText.contains("parked green threads"))

    service.send(SIGUSR1)
    _ = try Self.attach(folder + "/bd/bd.sock", "stop.send()\n")
    let result = service.wait(seconds: 60)
    #expect(result.termination == .exited(0))
    let written = (try? String(contentsOfFile: dumpFile, encoding: .utf8)) ?? ""
    #expect(written.contains("in parked_in_wait"), "\(written)")
    #expect(Self.mode(dumpFile).map { $0 & 0o777 } == 0o600)
    #expect(!result.stderrText.contains("stacks of process"))
  }

  @Test("a service's own monkey_patch(thread=False) keeps the full patch and gets GL402")
  func threadFalse() throws {
    let result = try greenlight(
      ["debug", "--python", Paths.venv, Paths.examples + "/deadlock_spec.py"],
      environment: ["DEADLOCK_WATCHDOG_SECONDS": "60"])
    #expect(result.termination == .exited(0), "\(result.stderrText)")
    let report = result.stderrText
    #expect(report.contains("warning GL402 thread-false-for-debugger"), "\(report)")
    #expect(report.contains("monkey_patch(os=False, thread=False)"))
    #expect(report.contains("keeps every module patched, thread included"))
    #expect(report.contains("--backdoor unix:PATH and `greenlight attach PATH`"))
    #expect(report.contains("deadlock_spec.py:19"))
  }

  @Test("a late GL402 joins the report file, which stays one valid report")
  func lateFindingInReportFile() throws {
    let file = try Paths.temporaryFolder() + "/report.json"
    let result = try greenlight(
      [
        "debug", "--python", Paths.venv, "--format", "json", "--report-file", file,
        Paths.examples + "/deadlock_spec.py",
      ], environment: ["DEADLOCK_WATCHDOG_SECONDS": "60"])
    #expect(result.termination == .exited(0), "\(result.stderrText)")
    let report = try Data(contentsOf: URL(fileURLWithPath: file))
    try expectValid(Array(report), as: "json")
    let document = try JSONSerialization.jsonObject(with: report) as? [String: Any]
    let rules = (document?["findings"] as? [[String: Any]])?.compactMap { $0["rule"] as? String }
    #expect(rules == ["GL402"], "\(String(decoding: report, as: UTF8.self))")
  }

  @Test(
    "debug always patches: --patch and --no-patch are refused, DISABLE_EVENTLET_PATCHING ignored")
  func alwaysPatched() throws {
    for option in [["--no-patch"], ["--patch", "none"], ["--patch", "target"]] {
      let result = try greenlight(["debug", "--python", Paths.venv] + option + ["-c", "pass"])
      #expect(result.termination == .exited(64))
    }
    let code = """
      import threading, eventlet.green.thread
      print(threading.Lock is eventlet.green.thread.allocate_lock)
      """
    let result = try greenlight(
      ["debug", "--python", Paths.venv, "-c", code],
      environment: ["DISABLE_EVENTLET_PATCHING": "1"])
    #expect(result.stdoutText == "True\n", "\(result.stderrText)")
  }
}

/// A TCP port on 127.0.0.1 that was free a moment ago.
func freePort() throws -> UInt16 {
  let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
  defer { close(descriptor) }
  var address = sockaddr_in()
  address.sin_family = sa_family_t(AF_INET)
  address.sin_addr.s_addr = inet_addr("127.0.0.1")
  var length = socklen_t(MemoryLayout<sockaddr_in>.size)
  let bound = withUnsafeMutablePointer(to: &address) {
    $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
      bind(descriptor, $0, length) == 0 && getsockname(descriptor, $0, &length) == 0
    }
  }
  guard bound else { throw POSIXError(.EADDRINUSE) }
  return UInt16(bigEndian: address.sin_port)
}
