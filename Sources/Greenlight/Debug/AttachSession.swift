#if canImport(Glibc)
  import Glibc
#endif

/// `greenlight attach`: relays standard input to a backdoor and its answers to standard
/// output, until both sides are done. The first line tells the backdoor what the client
/// wants, so that a script's output carries no banner and no prompts.
public enum AttachSession {
  /// What the client asks of the backdoor, on its first line.
  public enum Mode: String, Sendable {
    /// A person at a terminal: banner and prompts.
    case interactive
    /// Piped input: the console's output only.
    case script
    /// Every stack of the service, then the end.
    case dump
  }

  /// Relays until the backdoor closes the connection; returns the exit status (a script's:
  /// 1 when one of its lines raised).
  public static func run(_ descriptor: Int32, mode: Mode) -> Int32 {
    defer { close(descriptor) }
    guard sendAll(descriptor, Array("greenlight-attach \(mode.rawValue)\n".utf8)) else {
      return ExitStatus.unavailable
    }
    var inputOpen = mode != .dump
    if !inputOpen { shutdown(descriptor, Int32(SHUT_WR)) }
    var buffer = [UInt8](repeating: 0, count: 65536)
    var output = ScriptOutput()
    while true {
      var watched = [pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)]
      if inputOpen { watched.append(pollfd(fd: 0, events: Int16(POLLIN), revents: 0)) }
      guard poll(&watched, nfds_t(watched.count), -1) >= 0 || errno == EINTR else {
        return ExitStatus.software
      }
      if watched[0].revents != 0 {
        let count = recv(descriptor, &buffer, buffer.count, 0)
        if count <= 0 { return mode == .script ? output.finish() : 0 }
        output.add(buffer[..<count], holdingBack: mode == .script)
      }
      if inputOpen, watched[1].revents != 0 {
        let count = read(0, &buffer, buffer.count)
        if count > 0, sendAll(descriptor, Array(buffer[..<count])) { continue }
        // End of input (Ctrl-D, or the end of a pipe): the backdoor finishes what it has
        // and closes the connection.
        inputOpen = false
        shutdown(descriptor, Int32(SHUT_WR))
      }
    }
  }

  /// A script's output on stdout, without the status line the backdoor sends last
  /// (`\0greenlight-status N`): the last bytes are held back until the end.
  struct ScriptOutput {
    static let marker = Array("\0greenlight-status ".utf8)
    private var held: [UInt8] = []

    mutating func add(_ bytes: ArraySlice<UInt8>, holdingBack: Bool) {
      held += bytes
      let keep = holdingBack ? Self.marker.count + 8 : 0
      guard held.count > keep else { return }
      writeAll(1, held[..<(held.count - keep)])
      held.removeFirst(held.count - keep)
    }

    /// Writes what is left and returns the script's status: 0, 1 when a line raised, or
    /// 69 when the session ended before the script did (the service stopped).
    mutating func finish() -> Int32 {
      guard let start = held.indices.first(where: { held[$0...].starts(with: Self.marker) })
      else {
        writeAll(1, held[...])
        StandardError.line("greenlight: error: the backdoor closed the session before the end.")
        return ExitStatus.unavailable
      }
      writeAll(1, held[..<start])
      let digits = held[(start + Self.marker.count)...].prefix { $0 >= 48 && $0 <= 57 }
      return Int32(String(decoding: digits, as: UTF8.self)) ?? ExitStatus.unavailable
    }
  }

  private static func sendAll(_ descriptor: Int32, _ bytes: [UInt8]) -> Bool {
    var offset = 0
    while offset < bytes.count {
      let sent = bytes[offset...].withUnsafeBytes {
        send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL))
      }
      if sent < 0 && errno == EINTR { continue }
      guard sent > 0 else { return false }
      offset += sent
    }
    return true
  }

  fileprivate static func writeAll(_ descriptor: Int32, _ bytes: ArraySlice<UInt8>) {
    var offset = bytes.startIndex
    while offset < bytes.endIndex {
      let written = bytes[offset...].withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
      if written < 0 && errno == EINTR { continue }
      guard written > 0 else { return }
      offset += written
    }
  }
}
