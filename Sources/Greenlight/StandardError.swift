import CPythonShims

#if canImport(Glibc)
  import Glibc
#endif

/// Writes greenlight's own messages to file descriptor 2 unbuffered, so they keep their
/// place among what the service writes.
public enum StandardError {
  /// Writes `text` followed by a newline.
  public static func line(_ text: String) {
    write(text + "\n")
  }

  /// Writes `text` as it is.
  public static func write(_ text: String) {
    Descriptor.write(text, to: 2)
  }
}

/// Writes to file descriptor 1 unbuffered (after Python's and C's buffers were flushed).
public enum StandardOutput {
  public static func write(_ text: String) {
    gl_flush_c_streams()
    Descriptor.write(text, to: 1)
  }
}

private enum Descriptor {
  static func write(_ text: String, to descriptor: Int32) {
    var bytes = Array(text.utf8)
    var offset = 0
    while offset < bytes.count {
      let written = bytes.withUnsafeMutableBytes {
        Glibc.write(descriptor, $0.baseAddress! + offset, $0.count - offset)
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
