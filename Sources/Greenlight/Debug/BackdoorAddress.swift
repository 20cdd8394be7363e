#if canImport(Glibc)
  import Glibc
#endif

/// A host and port, parsed from `HOST:PORT` (`[::1]:PORT` for IPv6).
public struct NetworkAddress: Sendable, Equatable, CustomStringConvertible {
  /// A name or a numeric address, without IPv6 brackets.
  public let host: String
  public let port: UInt16

  /// Parses `HOST:PORT` or `[IPV6]:PORT`; nil for anything else.
  public init?(parsing text: String) {
    guard let colon = text.lastIndex(of: ":"), let port = UInt16(text[text.index(after: colon)...])
    else { return nil }
    var host = String(text[..<colon])
    if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
    guard !host.isEmpty else { return nil }
    self.host = host
    self.port = port
  }

  /// Whether the host is a loopback address: `localhost`, 127.0.0.0/8 or `::1`.
  public var isLoopback: Bool {
    if host == "localhost" || host == "::1" { return true }
    let parts = host.split(separator: ".", omittingEmptySubsequences: false)
    return parts.count == 4 && parts[0] == "127" && parts.allSatisfy { UInt8($0) != nil }
  }

  /// The numeric host to bind: `localhost` is 127.0.0.1.
  public var numericHost: String { host == "localhost" ? "127.0.0.1" : host }

  /// `HOST:PORT`, with brackets around an IPv6 host.
  public var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
}

/// Where the backdoor listens: `unix:PATH` (`{pid}` replaced by the process id) or
/// `tcp:HOST:PORT` on a loopback address.
public enum BackdoorAddress: Sendable, Equatable, CustomStringConvertible {
  case unix(String)
  case tcp(NetworkAddress)

  /// Why a `--backdoor` value is refused, in one sentence.
  public struct Refusal: Error, Sendable, Equatable {
    /// One sentence, without the `greenlight: error:` prefix.
    public let message: String
  }

  /// Parses `unix:PATH` or `tcp:HOST:PORT`; `{pid}` becomes this process's id, the
  /// service's (greenlight runs the service in its own process).
  public init(parsing text: String) throws(Refusal) {
    try self.init(parsing: text, processID: getpid())
  }

  /// Parses with `{pid}` replaced by `processID`.
  public init(parsing text: String, processID: Int32) throws(Refusal) {
    if text.hasPrefix("unix:") {
      let path = String(text.dropFirst(5)).replacing("{pid}", with: String(processID))
      guard !path.isEmpty else {
        throw Refusal(message: "--backdoor unix: needs a path, as in unix:/run/user/1000/svc.sock.")
      }
      guard path.utf8.count < 108 else {
        throw Refusal(
          message: "--backdoor \(path) is longer than a unix socket path may be (107 bytes).")
      }
      self = .unix(path)
    } else if text.hasPrefix("tcp:") {
      guard let address = NetworkAddress(parsing: String(text.dropFirst(4))) else {
        throw Refusal(message: "--backdoor \(text) is not tcp:HOST:PORT.")
      }
      guard address.isLoopback else {
        throw Refusal(
          message: "--backdoor \(text): the backdoor runs any code it is sent, so it listens on"
            + " a loopback address only (127.0.0.1, ::1 or localhost); prefer unix:PATH.")
      }
      self = .tcp(address)
    } else {
      throw Refusal(message: "--backdoor \(text) is neither unix:PATH nor tcp:127.0.0.1:PORT.")
    }
  }

  /// The address as `--backdoor` spells it, `{pid}` replaced.
  public var description: String {
    switch self {
    case .unix(let path): "unix:\(path)"
    case .tcp(let address): "tcp:\(address)"
    }
  }
}
