import CPythonShims

/// Process-wide signal set-up that must happen before the interpreter starts.
public enum ProcessSignals {
  /// Gives the fatal signals back their default action. The Swift runtime installs a crash
  /// reporter for them; with it, SIGQUIT prints a Swift report and exits 0 and a segfault
  /// prints a Swift backtrace, where `python` dies by the signal.
  public static func restoreDefaultFatalActions() {
    gl_restore_default_fatal_signals()
  }
}
