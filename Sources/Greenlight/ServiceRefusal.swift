import CPythonShims
import PythonRuntime
import Synchronization

#if canImport(Glibc)
  import Glibc
#endif

/// A service that refuses the eventlet greenlight imported to patch first, because it chose
/// native threads for itself: nova 34's `poison_eventlet` raises "eventlet library imported
/// early ... This is a bug." For such a refusal greenlight says in one sentence what the
/// service chose and which mode to use, and exits `ExitStatus.configuration`, instead of
/// leaving the service's traceback to speak alone.
enum ServiceRefusal {
  /// A known refusal: where it is raised, and what greenlight says of it.
  struct Known: Sendable {
    /// The end of the file's path and the function that raises.
    let file: String
    let function: String
    let sentence: @Sendable () -> String
  }

  static let known: [Known] = [
    Known(file: "/nova/monkey_patch.py", function: "poison_eventlet") {
      let switchValue = getenv("OS_NOVA_DISABLE_EVENTLET_PATCHING").map { String(cString: $0) }
      let set =
        switchValue.map { "OS_NOVA_DISABLE_EVENTLET_PATCHING=\($0)" }
        ?? "OS_NOVA_DISABLE_EVENTLET_PATCHING unset"
      return "nova chose native threads (\(set): nova 34 runs compute, conductor, scheduler and"
        + " api natively by default) and refuses the eventlet that greenlight imported to patch"
        + " first; start it with --patch auto, the default (nova then decides, and greenlight"
        + " patches nothing first), or --patch target or none."
    }
  ]

  /// What greenlight says of `exception`, when its traceback passes through a known refusal.
  static func sentence(for exception: PythonObject) -> String? {
    for entry in exception.tracebackEntries {
      if let file = entry.file, let function = entry.function,
        let match = known.first(where: { file.hasSuffix($0.file) && function == $0.function })
      {
        return match.sentence()
      }
    }
    return nil
  }

  private static let seen = Mutex<String?>(nil)

  /// Watches the exceptions that reach `sys.excepthook` after hand-off (GIL held).
  static func watchUncaught() {
    if gl_excepthook_watch({ exception in
      guard let exception else { return }
      let sentence = ServiceRefusal.sentence(for: PythonObject(borrowing: exception))
      if let sentence { ServiceRefusal.seen.withLock { $0 = $0 ?? sentence } }
    }) != 0 {
      _ = PythonError.take()
    }
  }

  /// The status `run` ends with: `ExitStatus.configuration`, after the sentence, when the
  /// service refused the patch; else the service's own.
  static func status(after serviceStatus: Int32) -> Int32 {
    guard let sentence = seen.withLock({ $0 }) else { return serviceStatus }
    StandardError.line("greenlight: error: \(sentence)")
    return ExitStatus.configuration
  }
}
