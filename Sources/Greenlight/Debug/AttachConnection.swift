#if canImport(Glibc)
  import Glibc
#endif

/// The client side of a backdoor: a connected socket, or why there is none.
public enum AttachConnection {
  /// Why a backdoor cannot be reached, said in one sentence.
  public struct Failure: Error, Sendable, Equatable {
    /// One sentence, without the `greenlight: error:` prefix.
    public let message: String
    /// Whether the target itself is wrong (a usage error), rather than no backdoor answering.
    public let isUsage: Bool

    init(message: String, isUsage: Bool = false) {
      self.message = message
      self.isUsage = isUsage
    }
  }

  /// Whether a unix socket file has a process listening behind it.
  enum Probe { case listening, stale }

  static func probe(_ path: String) -> Probe {
    guard let descriptor = try? connectUnix(path) else { return .stale }
    close(descriptor)
    return .listening
  }

  /// Connects to `target`: a socket path (also `unix:PATH`) or `tcp:HOST:PORT`.
  public static func connect(to target: String) throws(Failure) -> Int32 {
    if target.hasPrefix("tcp:") {
      guard let address = NetworkAddress(parsing: String(target.dropFirst(4))) else {
        throw Failure(message: "\(target) is not tcp:HOST:PORT.")
      }
      // Checked before connecting: BackdoorAddress never listens elsewhere, and whatever
      // answers on another address is not a backdoor.
      guard address.isLoopback else {
        throw Failure(
          message: "\(target) is not a loopback address: a backdoor listens only on 127.0.0.1,"
            + " ::1 or localhost, so attach connects only there.",
          isUsage: true)
      }
      return try connectTCP(address)
    }
    let path = target.hasPrefix("unix:") ? String(target.dropFirst(5)) : target
    return try connectUnix(path)
  }

  private static func connectUnix(_ path: String) throws(Failure) -> Int32 {
    guard path.utf8.count < 108 else {
      throw Failure(message: "\(path) is longer than a unix socket path may be (107 bytes).")
    }
    let descriptor = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
    guard descriptor >= 0 else { throw Failure(message: "cannot make a socket: \(reason()).") }
    var address = sockaddr_un()
    address.sun_family = sa_family_t(AF_UNIX)
    withUnsafeMutableBytes(of: &address.sun_path) { raw in
      for (offset, byte) in path.utf8.enumerated() { raw[offset] = byte }
    }
    let status = withUnsafePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
        Glibc.connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
      }
    }
    guard status == 0 else {
      let code = errno
      close(descriptor)
      throw Failure(message: explain(code, path))
    }
    return descriptor
  }

  private static func connectTCP(_ network: NetworkAddress) throws(Failure) -> Int32 {
    let isIPv6 = network.numericHost.contains(":")
    let descriptor = socket(
      isIPv6 ? AF_INET6 : AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
    guard descriptor >= 0 else { throw Failure(message: "cannot make a socket: \(reason()).") }
    var status: Int32 = -1
    if isIPv6 {
      var address = sockaddr_in6()
      address.sin6_family = sa_family_t(AF_INET6)
      address.sin6_port = network.port.bigEndian
      guard inet_pton(AF_INET6, network.numericHost, &address.sin6_addr) == 1 else {
        close(descriptor)
        throw Failure(message: "\(network.host) is not a numeric IPv6 address.")
      }
      status = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
          Glibc.connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in6>.size))
        }
      }
    } else {
      var address = sockaddr_in()
      address.sin_family = sa_family_t(AF_INET)
      address.sin_port = network.port.bigEndian
      guard inet_pton(AF_INET, network.numericHost, &address.sin_addr) == 1 else {
        close(descriptor)
        throw Failure(message: "\(network.host) is not a numeric IPv4 address or localhost.")
      }
      status = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
          Glibc.connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
        }
      }
    }
    guard status == 0 else {
      let code = errno
      close(descriptor)
      throw Failure(message: explain(code, "tcp:\(network)"))
    }
    return descriptor
  }

  private static func reason(_ code: Int32 = errno) -> String { String(cString: strerror(code)) }

  private static func explain(_ code: Int32, _ place: String) -> String {
    switch code {
    case ENOENT:
      "no backdoor at \(place): there is no such socket (start the service with greenlight"
        + " debug --backdoor unix:\(place))."
    case ECONNREFUSED:
      "no backdoor answers at \(place): the connection was refused (the service has ended, or"
        + " is not serving a backdoor there)."
    case EACCES:
      "cannot reach the backdoor at \(place): permission denied (it belongs to another user)."
    default:
      "cannot reach the backdoor at \(place): \(reason(code))."
    }
  }
}
