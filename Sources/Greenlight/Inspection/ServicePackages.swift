/// The service's own top-level packages: the target's (`nova` for `--entry
/// nova.cmd.novncproxy:main`) and those the policy names (`service-packages`). Their code is
/// the service's wherever it is installed, so a finding points at their lines rather than at
/// the library lines they called.
///
/// eventlet's own packages stay eventlet's even when named, and a test runner started as the
/// target (`python -m pytest`, `-m subunit.run`) is the harness, not the service.
struct ServicePackages: Equatable, Sendable {
  /// The top-level package names, without eventlet's.
  let names: Set<String>

  /// Only the code outside the installed distributions is the service's.
  static let none = ServicePackages(target: nil, named: [])

  /// The target's top-level package (nil for `-c`) and the policy's `service-packages`.
  init(target: String?, named: [String]) {
    var names = Set(named)
    if let target, !target.isEmpty, !RuntimeWatch.harnessPackages.contains(target) {
      names.insert(target)
    }
    self.names = names.subtracting(CodeOrigin.eventletPackages)
  }

  /// Whether the top-level package `package` is the service's.
  func contains(_ package: String) -> Bool {
    names.contains(package)
  }
}
