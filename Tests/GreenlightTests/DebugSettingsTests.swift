import Greenlight
import Testing

@testable import greenlight

@Suite("greenlight debug's settings")
struct DebugSettingsTests {
  @Test("unix:PATH with {pid} replaced")
  func unixPath() throws {
    #expect(
      try BackdoorAddress(parsing: "unix:/run/user/1000/svc/{pid}.sock", processID: 42)
        == .unix("/run/user/1000/svc/42.sock"))
    #expect(throws: BackdoorAddress.Refusal.self) { try BackdoorAddress(parsing: "unix:") }
    let long = "unix:/" + String(repeating: "x", count: 120)
    #expect(throws: BackdoorAddress.Refusal.self) { try BackdoorAddress(parsing: long) }
  }

  @Test(
    "tcp backdoors on loopback only",
    arguments: [
      ("tcp:127.0.0.1:4000", true), ("tcp:127.1.2.3:4000", true), ("tcp:localhost:4000", true),
      ("tcp:[::1]:4000", true), ("tcp:0.0.0.0:4000", false), ("tcp:10.0.0.1:4000", false),
      ("tcp:[::]:4000", false), ("tcp:example.com:4000", false), ("tcp:127.0.0.1", false),
      ("udp:127.0.0.1:4000", false), ("/tmp/x.sock", false),
    ])
  func tcpLoopback(_ text: String, _ accepted: Bool) {
    #expect(((try? BackdoorAddress(parsing: text)) != nil) == accepted)
  }

  @Test("dump signals by name, with or without SIG, any case; fatal ones are refused")
  func dumpSignals() {
    #expect(DumpSignal(parsing: "USR2") == .default)
    #expect(DumpSignal(parsing: "sigusr1")?.number == 10)
    #expect(DumpSignal(parsing: "SIGQUIT")?.number == 3)
    for refused in ["KILL", "SEGV", "STOP", "TERM", "INT", "12", ""] {
      #expect(DumpSignal(parsing: refused) == nil)
    }
  }

  @Test("debug's options end at the target, as run's do")
  func split() {
    let arguments = [
      "--backdoor", "unix:/x/{pid}.sock", "--dump-signal", "USR1", "--debugger", "debugpy",
      "--listen", "127.0.0.1:5678", "--wait", "-m", "svc", "--backdoor", "y",
    ]
    let result = CommandLineSplit(arguments.map { Array($0.utf8) })
    #expect(result.options.count == 9)
    #expect(result.target == Array("--module=svc".utf8))
    #expect(result.serviceArguments == [Array("--backdoor".utf8), Array("y".utf8)])
  }
}
