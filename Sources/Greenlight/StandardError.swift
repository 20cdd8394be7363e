#if canImport(Glibc)
  import Glibc
#endif

/// Writes greenlight's own messages to file descriptor 2 unbuffered, so they keep their
/// place among what the service writes.
public enum StandardError {
  /// Writes `text` followed by a newline.
  public static func line(_ text: String) {
    var bytes = Array((text + "\n").utf8)
    var offset = 0
    while offset < bytes.count {
      let written = bytes.withUnsafeMutableBytes {
        write(2, $0.baseAddress! + offset, $0.count - offset)
      }
      if written > 0 {
        offset += written
      } else if written < 0 && errno == EINTR {
        continue
      } else {
        return
      }
    }
  }
}

/// Monotonic milliseconds, for the phase timings `--verbose` shows.
enum Clock {
  static func milliseconds() -> Double {
    var now = timespec()
    clock_gettime(CLOCK_MONOTONIC, &now)
    return Double(now.tv_sec) * 1000 + Double(now.tv_nsec) / 1_000_000
  }
}
