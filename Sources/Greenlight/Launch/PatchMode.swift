/// When eventlet's monkey patching happens, and who does it.
public enum PatchMode: String, CaseIterable, Sendable {
  /// The default: the service's own source decides (``PatchDecision``). A service whose
  /// code decides its concurrency at run time runs as `target`; any other as `first`.
  case auto
  /// greenlight imports eventlet and patches every module before any code of the service,
  /// then makes `subprocess` fully green.
  case first
  /// The service patches itself; greenlight imports nothing beyond the interpreter's
  /// start-up set and does not patch.
  case target
  /// Native threads: greenlight never imports eventlet.
  case none

  /// The mode after the `DISABLE_EVENTLET_PATCHING` environment variable, which forces
  /// `none` when set to anything but empty, `0`, `false` or `no` (any case).
  public func applyingEnvironment(_ disablePatching: String?) -> PatchMode {
    guard let value = disablePatching?.lowercased(),
      !["", "0", "false", "no"].contains(value)
    else { return self }
    return .none
  }
}
