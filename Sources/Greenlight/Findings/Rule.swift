/// The hazard catalogue: stable ids, names, default severities and one-line fixes.
public enum Rule: String, CaseIterable, Sendable {
  case importedBeforePatch = "GL101"
  case nativeThreadBeforePatch = "GL102"
  case partialPatch = "GL103"
  case latePatch = "GL104"
  case patchOnImport = "GL105"
  case patchIncomplete = "GL106"
  case staleOriginal = "GL107"
  case nativeLock = "GL108"
  case nativeThreadLocal = "GL109"
  case nativeSubprocess = "GL201"
  case blockingProcessCall = "GL202"
  case blockingDatabaseDriver = "GL301"
  case psycopgNotGreen = "GL302"
  case blockingExtension = "GL303"
  case tracerWithGreenThreads = "GL401"
  case threadFalseForDebugger = "GL402"
  case hubBlocked = "GL501"
  case nativeThreadStarted = "GL502"
  case forkWithThreads = "GL503"
  case eventletInNativeMode = "GL601"

  public var id: String { rawValue }

  public var name: String {
    switch self {
    case .importedBeforePatch: "imported-before-patch"
    case .nativeThreadBeforePatch: "native-thread-before-patch"
    case .partialPatch: "partial-patch"
    case .latePatch: "late-patch"
    case .patchOnImport: "patch-on-import"
    case .patchIncomplete: "patch-incomplete"
    case .staleOriginal: "stale-original"
    case .nativeLock: "native-lock"
    case .nativeThreadLocal: "native-thread-local"
    case .nativeSubprocess: "native-subprocess"
    case .blockingProcessCall: "blocking-process-call"
    case .blockingDatabaseDriver: "blocking-db-driver"
    case .psycopgNotGreen: "psycopg-not-green"
    case .blockingExtension: "blocking-extension"
    case .tracerWithGreenThreads: "tracer-with-green-threads"
    case .threadFalseForDebugger: "thread-false-for-debugger"
    case .hubBlocked: "hub-blocked"
    case .nativeThreadStarted: "native-thread-started"
    case .forkWithThreads: "fork-with-threads"
    case .eventletInNativeMode: "eventlet-in-native-mode"
    }
  }

  /// The severity before policy; some rules choose per finding (GL101 is an error for the
  /// modules eventlet patches, a warning otherwise).
  public var defaultSeverity: Severity {
    switch self {
    case .importedBeforePatch, .nativeThreadBeforePatch, .partialPatch, .latePatch,
      .patchIncomplete, .staleOriginal, .nativeLock, .nativeThreadLocal, .nativeSubprocess,
      .blockingDatabaseDriver, .psycopgNotGreen, .threadFalseForDebugger,
      .eventletInNativeMode, .blockingProcessCall, .hubBlocked:
      .error
    case .patchOnImport, .blockingExtension, .tracerWithGreenThreads, .nativeThreadStarted,
      .forkWithThreads:
      .warning
    }
  }

  /// What the rule finds, for help text and SARIF rule metadata.
  public var summary: String {
    switch self {
    case .importedBeforePatch: "A module was loaded before monkey patching ran."
    case .nativeThreadBeforePatch: "An OS thread other than the main one existed when patching ran."
    case .partialPatch:
      "monkey_patch left thread, time, socket or select unpatched while patching others."
    case .latePatch: "The service called monkey_patch after importing other modules of its own."
    case .patchOnImport: "A library called monkey_patch while being imported."
    case .patchIncomplete:
      "A module that was to be patched is not green, judged by object identity (a stand-in"
        + " for time.sleep by calling it once)."
    case .staleOriginal:
      "A module global, class base or default argument still holds an unpatched original."
    case .nativeLock: "A native lock made before patching is still reachable."
    case .nativeThreadLocal:
      "A native thread-local made before patching is shared by all green threads."
    case .nativeSubprocess:
      "subprocess, or one of its entry points, is not cooperative at hand-off."
    case .blockingProcessCall:
      "At run time, os.system or a native Popen was called from a green thread."
    case .hubBlocked:
      "At run time, the eventlet hub made no progress for longer than the threshold."
    case .nativeThreadStarted: "At run time, an OS thread was started outside eventlet's tpool."
    case .forkWithThreads:
      "At run time, os.fork was called while other OS threads were alive: the child inherits"
        + " locks held by threads it does not have."
    case .blockingDatabaseDriver: "A C database driver that holds the hub is loaded."
    case .psycopgNotGreen: "psycopg2 is loaded without a wait callback."
    case .blockingExtension: "A C-extension network client known not to cooperate is loaded."
    case .tracerWithGreenThreads:
      "sys.settrace or sys.setprofile was installed while threads are green."
    case .threadFalseForDebugger:
      "thread=False was passed to monkey_patch while a debugger was in use."
    case .eventletInNativeMode: "eventlet was imported or used in a process that is not patched."
    }
  }

  /// The default one-line fix.
  public var fix: String {
    switch self {
    case .importedBeforePatch:
      "Patch before any other import: run under greenlight, or call eventlet.monkey_patch() first."
    case .nativeThreadBeforePatch:
      "Start threads only after patching, or allow the module with --pre-import."
    case .partialPatch: "Call eventlet.monkey_patch() with no arguments."
    case .latePatch: "Move the monkey_patch call above every other import of the service."
    case .patchOnImport: "Patch in the service's entry point, not in a library's import."
    case .patchIncomplete: "Call eventlet.monkey_patch() before importing the module."
    case .staleOriginal:
      "Import the module, not the name (import socket; socket.socket), or patch first."
    case .nativeLock: "Create the lock after patching, or patch before importing its module."
    case .nativeThreadLocal:
      "Create the thread-local after patching, or patch before importing its module."
    case .nativeSubprocess: "Use subprocess through the module after patching (import subprocess)."
    case .blockingProcessCall:
      "Use subprocess.run or Popen from the patched subprocess module, not os.system."
    case .hubBlocked:
      "Make the call green (patched modules, green drivers) or run it in eventlet.tpool.execute."
    case .nativeThreadStarted:
      "Use green threads, or eventlet.tpool for blocking work that needs an OS thread."
    case .forkWithThreads:
      "Fork before starting threads, or start processes with the spawn or forkserver method."
    case .blockingDatabaseDriver: "Use PyMySQL, or wrap the driver with eventlet.tpool."
    case .psycopgNotGreen: "Call eventlet.monkey_patch(psycopg=True) or set a wait callback."
    case .blockingExtension: "Use a green variant or run the calls through eventlet.tpool."
    case .tracerWithGreenThreads: "Use greenlight debug, or trace only the green thread you debug."
    case .threadFalseForDebugger:
      "Patch everything; debug with greenlight debug or a pre-imported debugger."
    case .eventletInNativeMode: "Remove the eventlet import, or run with patching."
    }
  }
}
