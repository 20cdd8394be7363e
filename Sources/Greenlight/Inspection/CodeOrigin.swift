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
    let installed = ["/site-packages/", "/dist-packages/"].compactMap { path.firstRange(of: $0) }
      .first
    if let installed {
      let package = String(path[installed.upperBound...].prefix { $0 != "/" && $0 != "." })
      if CodeOrigin.eventletPackages.contains(package) {
        self = .eventlet
      } else {
        self = service.contains(package) ? .service : .library
      }
    } else if path.hasPrefix(standardLibrary + "/") {
      self = .standardLibrary
    } else {
      self = .service
    }
  }

  /// Top-level packages that eventlet is made of or imports for itself.
  static let eventletPackages: Set<String> = ["eventlet", "greenlet", "dns"]
}
