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
    refusal(in: exception).map { $0.known.sentence() }
  }

  /// What greenlight says of a refusal raised in `file` (an ``ImportFailure``'s location,
  /// read back from a process's report).
  static func sentence(forRefusalIn file: String) -> String? {
    known.first { file.hasSuffix($0.file) }?.sentence()
  }

  /// The known refusal `exception`'s traceback passes through, and that entry.
  private static func refusal(in exception: PythonObject) -> (known: Known, entry: TracebackEntry)?
  {
    for entry in exception.tracebackEntries {
      if let file = entry.file, let function = entry.function,
        let match = known.first(where: { file.hasSuffix($0.file) && function == $0.function })
      {
        return (match, entry)
      }
    }
    return nil
  }

  private static let seen = Mutex<String?>(nil)

  /// Watches the exceptions that reach `sys.excepthook` after hand-off (GIL held).
  static func watchUncaught() {
    if gl_excepthook_watch({ exception in
      guard let exception else { return }
      EventletBan.noteUncaught(PythonObject(borrowing: exception))
      let sentence = ServiceRefusal.sentence(for: PythonObject(borrowing: exception))
      if let sentence { ServiceRefusal.seen.withLock { $0 = $0 ?? sentence } }
    }) != 0 {
      _ = PythonError.take()
    }
  }

  private static let refusedImport = Mutex<ImportFailure?>(nil)

  /// Watches the imports of a process of `greenlight test` patched first (GIL held): a test
  /// loader catches the exception of a module that cannot be imported and reports it as a
  /// failed test, so a refusal there never reaches `sys.excepthook`. The first import a
  /// known refusal ended is kept for the process's report (``refusedImportFailure``).
  static func watchImports() {
    if gl_import_watch({ exception in
      guard let exception, ServiceRefusal.refusedImport.withLock({ $0 == nil }) else { return }
      let object = PythonObject(borrowing: exception)
      guard let (_, entry) = ServiceRefusal.refusal(in: object) else { return }
      let failure = ImportFailure(
        exception: object.typeName, message: object.description,
        location: entry.file.map { SourceLocation(file: $0, line: entry.line) })
      ServiceRefusal.refusedImport.withLock { $0 = $0 ?? failure }
    }) != 0 {
      _ = PythonError.take()
    }
  }

  /// The import a known refusal ended in this process, if one did.
  static var refusedImportFailure: ImportFailure? { refusedImport.withLock { $0 } }

  /// The status `run` ends with: `ExitStatus.configuration`, after the sentence, when the
  /// service refused the patch; else the service's own.
  static func status(after serviceStatus: Int32) -> Int32 {
    guard let sentence = seen.withLock({ $0 }) else { return serviceStatus }
    StandardError.line("greenlight: error: \(sentence)")
    return ExitStatus.configuration
  }
}
