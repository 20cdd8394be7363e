#if canImport(Glibc)
  import Glibc
#endif

/// Whose code a file is: the judgement behind "eventlet's own", "the service's" and
/// "a library's".
enum CodeOrigin: Equatable, Sendable {
  /// The interpreter's standard library (or no file: builtin and frozen modules).
  case standardLibrary
  /// eventlet and what it brings: greenlet, dnspython.
  case eventlet
  /// An installed distribution other than eventlet's and the service's.
  case library
  /// The project's own code: everything outside the installed distributions, and the
  /// service's packages wherever they are installed.
  case service

  /// Classifies a source path; `standardLibrary` is the stdlib folder
  /// (`<base_prefix>/lib/python3.11`), `service` the service's installed packages.
  init(path: String?, standardLibrary: String, service: ServicePackages) {
    guard let path, !path.isEmpty, !path.hasPrefix("<") else {
      self = .standardLibrary
      return
    }
    guard path.hasPrefix("/") else {
      self = .service  // a script run by a relative path
      return
    }
    if let package = CodeOrigin.installedPackage(path) {
      if CodeOrigin.eventletPackages.contains(package) {
        self = .eventlet
      } else {
        self = service.contains(package) ? .service : .library
      }
    } else if path.utf8.starts(with: standardLibrary.utf8),
      path.utf8.dropFirst(standardLibrary.utf8.count).first == UInt8(ascii: "/")
    {
      self = .standardLibrary
    } else {
      self = .service
    }
  }

  /// The top-level package of a file under site-packages or dist-packages.
  static func installedPackage(_ path: String) -> String? {
    guard let part = installedPart(path) else { return nil }
    let end = part.utf8.firstIndex { $0 == UInt8(ascii: "/") || $0 == UInt8(ascii: ".") }
    return String(part[..<(end ?? part.endIndex)])
  }

  /// What follows the first `/site-packages/` of a path (else its first `/dist-packages/`):
  /// `oslo_config/cfg.py`. Searched byte by byte: it runs for every module a start-up
  /// loads, and with `String.firstRange(of:)` a classification cost about 20 times as much.
  static func installedPart(_ path: String) -> Substring? {
    let bytes = Array(path.utf8)
    for marker in installedFolders {
      if let end = end(of: marker, in: bytes) {
        return path[path.utf8.index(path.utf8.startIndex, offsetBy: end)...]
      }
    }
    return nil
  }

  private static let installedFolders: [[UInt8]] = [
    Array("/site-packages/".utf8), Array("/dist-packages/".utf8),
  ]

  /// The offset just past the first occurrence of `marker` in `bytes`.
  private static func end(of marker: [UInt8], in bytes: [UInt8]) -> Int? {
    guard bytes.count >= marker.count else { return nil }
    for start in 0...(bytes.count - marker.count)
    where bytes[start] == marker[0]
      && marker.indices.allSatisfy({ bytes[start + $0] == marker[$0] })
    {
      return start + marker.count
    }
    return nil
  }

  /// Top-level packages that eventlet is made of or imports for itself.
  /// An array, not a `Set`: three names, and a start's first hashed collection can cost it
  /// about 250k instructions (docs/embedding-notes.md, "Giving the launch's costs back").
  static let eventletPackages = ["eventlet", "greenlet", "dns"]
}
