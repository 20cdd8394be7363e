import Foundation
import Testing

/// `greenlight attach tcp:HOST:PORT` connects only where a backdoor can listen: a loopback
/// address. Any other host is a usage error, refused before connecting.
@Suite("attach addresses")
struct AttachAddressTests {
  @Test(
    "a tcp: host that is not loopback is refused in one sentence, exit 64",
    arguments: ["tcp:0.0.0.0:1", "tcp:192.0.2.1:7", "tcp:[2001:db8::1]:7", "tcp:example.com:7"])
  func notLoopback(_ target: String) throws {
    let result = try greenlight(["attach", target], stdin: Array("print(1)\n".utf8), seconds: 60)
    #expect(result.status == 64, "\(result.stderrText)")
    #expect(result.stdout.isEmpty)
    #expect(
      result.stderrText
        == "greenlight: error: \(target) is not a loopback address: a backdoor listens only on"
        + " 127.0.0.1, ::1 or localhost, so attach connects only there.\n")
  }

  @Test("a loopback tcp: address with nothing listening is still exit 69")
  func loopbackRefused() throws {
    let result = try greenlight(["attach", "tcp:127.0.0.1:1"], seconds: 60)
    #expect(result.status == 69, "\(result.stderrText)")
    #expect(
      result.stderrText.hasPrefix("greenlight: error: no backdoor answers at tcp:127.0.0.1:1"))
  }
}
