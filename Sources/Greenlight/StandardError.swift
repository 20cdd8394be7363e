import CPythonShims
import Synchronization

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

/// Writes to standard output unbuffered (after C's buffers were flushed).
public enum StandardOutput {
  private static let descriptor = Atomic<Int32>(1)

  public static func write(_ text: String) {
    gl_flush_c_streams()
    Descriptor.write(text, to: descriptor.load(ordering: .relaxed))
  }

  /// Keeps standard output for the report alone: from now on file descriptor 1 is a copy
  /// of stderr, so whatever the service writes while `check` imports it goes to stderr,
  /// in order, and the report (written to the saved descriptor) is all stdout holds.
  static func reserveForReport() {
    let saved = dup(1)
    guard saved >= 0, dup2(2, 1) >= 0 else { return }
    descriptor.store(saved, ordering: .relaxed)
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
