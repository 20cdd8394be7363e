import CPythonShims
import PythonRuntime
import Synchronization

#if canImport(Glibc)
  import Glibc
#endif

/// Opens the backdoor's listening socket before the service runs, with the checks that keep
/// it the user's own: a unix socket of mode 0600 in a folder of mode 0700 that the user
/// owns, or a TCP socket on loopback. The socket file is removed at exit.
enum BackdoorListener {
  /// The socket file to remove at exit, with the process that made it: a forked child
  /// inherits the atexit handler but not the socket.
  private static let made = Mutex<(path: String, owner: pid_t, inode: ino_t)?>(nil)

  /// A listening descriptor for `address`, or a usage error in one sentence.
  static func open(_ address: BackdoorAddress) throws(LaunchError) -> Int32 {
    switch address {
    case .unix(let path): return try openUnix(FileSystem.absolute(path))
    case .tcp(let network): return try openTCP(network)
    }
  }

  private static func refuse(_ message: String) -> LaunchError {
    LaunchError(.preflight, status: ExitStatus.usage, message)
  }

  private static func systemError(_ what: String) -> LaunchError {
    refuse("\(what): \(String(cString: strerror(errno))).")
  }

  // MARK: unix

  private static func openUnix(_ path: String) throws(LaunchError) -> Int32 {
    try prepareFolder(FileSystem.parent(path))
    try clearStale(path)
    let descriptor = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
    guard descriptor >= 0 else { throw systemError("cannot make the backdoor's socket") }
    var address = sockaddr_un()
    address.sun_family = sa_family_t(AF_UNIX)
    withUnsafeMutableBytes(of: &address.sun_path) { raw in
      for (offset, byte) in path.utf8.enumerated() { raw[offset] = byte }
    }
    // 0600 from the start: the umask covers the instant between bind and chmod.
    let previous = umask(0o177)
    let bound = withUnsafePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
        bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
      }
    }
    umask(previous)
    guard bound == 0, chmod(path, 0o600) == 0, listen(descriptor, 16) == 0 else {
      let error = systemError("cannot listen on \(path)")
      close(descriptor)
      throw error
    }
    var status = stat()
    if stat(path, &status) == 0 {
      made.withLock { $0 = (path, getpid(), status.st_ino) }
      _ = gl_atexit_register { BackdoorListener.removeSocket() }
      _ = gl_unlink_on_fatal_signals(path)
    }
    return descriptor
  }

  /// Creates the folder (and any missing parent) with mode 0700, or checks that an existing
  /// one is the user's and not writable by group or others. Existing parents are not
  /// judged: `/tmp` may hold a folder of one's own.
  private static func prepareFolder(_ folder: String) throws(LaunchError) {
    var status = stat()
    if stat(folder, &status) != 0 {
      guard errno == ENOENT else {
        throw systemError("cannot read the backdoor's folder \(folder)")
      }
      try makeFolder(folder)
      return
    }
    guard (status.st_mode & S_IFMT) == S_IFDIR else {
      throw refuse("the backdoor's folder \(folder) is not a folder.")
    }
    guard status.st_uid == geteuid() else {
      throw refuse(
        "the backdoor's folder \(folder) belongs to another user (uid \(status.st_uid)); use a"
          + " folder of your own, such as $XDG_RUNTIME_DIR or a new one greenlight creates.")
    }
    guard status.st_mode & 0o022 == 0 else {
      throw refuse(
        "the backdoor's folder \(folder) is writable by group or others (mode "
          + String(status.st_mode & 0o777, radix: 8)
          + "), so another user could replace the socket; use a folder of mode 0700, or a new"
          + " one that greenlight creates.")
    }
  }

  /// `mkdir -p` with mode 0700 for every folder it creates.
  private static func makeFolder(_ folder: String) throws(LaunchError) {
    let parent = FileSystem.parent(folder)
    if parent != folder, !FileSystem.exists(parent) { try makeFolder(parent) }
    guard mkdir(folder, 0o700) == 0 || errno == EEXIST, chmod(folder, 0o700) == 0 else {
      throw systemError("cannot make the backdoor's folder \(folder)")
    }
  }

  /// Removes a socket left by a process that is gone; refuses a live one and any other
  /// kind of file.
  private static func clearStale(_ path: String) throws(LaunchError) {
    var status = stat()
    guard lstat(path, &status) == 0 else { return }
    guard (status.st_mode & S_IFMT) == S_IFSOCK else {
      throw refuse(
        "\(path) exists and is not a socket; greenlight replaces only a stale backdoor socket,"
          + " so choose another path or remove it.")
    }
    switch AttachConnection.probe(path) {
    case .listening:
      throw refuse(
        "a live process already serves a backdoor at \(path); choose another path (unix:PATH"
          + " may contain {pid}).")
    case .stale:
      guard unlink(path) == 0 else { throw systemError("cannot remove the stale socket \(path)") }
    }
  }

  /// The atexit handler: removes the socket this process made, if it is still there.
  private static func removeSocket() {
    guard let (path, owner, inode) = made.withLock({ $0 }), owner == getpid() else { return }
    var status = stat()
    if lstat(path, &status) == 0, status.st_ino == inode { unlink(path) }
  }

  // MARK: tcp

  private static func openTCP(_ network: NetworkAddress) throws(LaunchError) -> Int32 {
    let isIPv6 = network.numericHost.contains(":")
    let family = isIPv6 ? AF_INET6 : AF_INET
    let descriptor = socket(family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
    guard descriptor >= 0 else { throw systemError("cannot make the backdoor's socket") }
    var one: Int32 = 1
    setsockopt(descriptor, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
    var bound: Int32 = -1
    if isIPv6 {
      var address = sockaddr_in6()
      address.sin6_family = sa_family_t(AF_INET6)
      address.sin6_port = network.port.bigEndian
      inet_pton(AF_INET6, network.numericHost, &address.sin6_addr)
      bound = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
          bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in6>.size))
        }
      }
    } else {
      var address = sockaddr_in()
      address.sin_family = sa_family_t(AF_INET)
      address.sin_port = network.port.bigEndian
      inet_pton(AF_INET, network.numericHost, &address.sin_addr)
      bound = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
          bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
        }
      }
    }
    guard bound == 0, listen(descriptor, 16) == 0 else {
      let error = systemError("cannot listen on \(network)")
      close(descriptor)
      throw error
    }
    return descriptor
  }
}
