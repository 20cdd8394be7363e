/// The exit statuses greenlight itself uses (sysexits.h); any other status is the service's.
public enum ExitStatus {
  /// `check`: an error-level finding remains after the policy (or the target's import
  /// failed).
  public static let findings: Int32 = 1
  /// `run --strict`: error-level findings, so the service was not started.
  public static let refused: Int32 = 65
  /// Wrong input to greenlight: unknown option, no target, bad `--python` path.
  public static let usage: Int32 = 64
  /// The Python environment cannot serve: another major.minor, eventlet missing, or the
  /// interpreter failed to start.
  public static let unavailable: Int32 = 69
  /// A launch phase failed inside Python before hand-off (for example `monkey_patch()`
  /// raised).
  public static let software: Int32 = 70
  /// The service refused the mode it was started in: it chose native threads and refuses
  /// the eventlet greenlight imported to patch first (nova's `poison_eventlet`).
  public static let configuration: Int32 = 78
}

/// A launch that stopped before hand-off: one sentence for the person, the phase it stopped
/// in, and the exit status.
public struct LaunchError: Error, Equatable, Sendable {
  public let phase: LaunchPhase
  public let status: Int32
  public let message: String

  public init(_ phase: LaunchPhase, status: Int32, _ message: String) {
    self.phase = phase
    self.status = status
    self.message = message
  }
}

/// The launch's phases, in order.
public enum LaunchPhase: String, Sendable {
  case preflight
  case initialize
  case patch
  case greenSubprocess = "green-subprocess"
  case verify
  case importTarget = "import-target"
  case report
  case handOff = "hand-off"
}
