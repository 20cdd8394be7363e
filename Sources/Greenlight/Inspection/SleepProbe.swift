import PythonRuntime

/// Judges a stand-in for `time.sleep` by what it does rather than what it is: it is called
/// once with a short duration and is cooperative when the call let the hub run.
///
/// Identity says only that `time.sleep` is not eventlet's green sleep. Libraries replace it
/// on purpose with a function of their own (os_brick's `utils._sleep`, so that tests can
/// stub tenacity's waits), which waits cooperatively as long as it calls a green sleep. Only
/// sleep is judged this way: calling it with a short duration does nothing but wait. The
/// other functions eventlet patches (sockets, `select`, `os.read`, locks, `Popen`) need
/// arguments that name real resources and have effects of their own, so they stay judged
/// by identity.
///
/// The call runs in a native thread of its own, whose hub is new and holds nothing but the
/// probe's timer: the service's green threads never run because of it, and the thread that
/// judges (which may be inside the service's own `monkey_patch` call) never switches.
final class SleepProbe {
  /// What a call showed.
  enum Verdict {
    /// The call let the hub run: it waits through eventlet.
    case cooperative
    /// The call did not let the hub run: it blocks (or returns without waiting).
    case blocking
    /// The call raised, or did not return in time.
    case unknown
  }

  /// The attributes judged by calling them, as `module.attribute`.
  static let judged: Set<String> = ["time.sleep"]

  /// `_thread.start_new_thread` and `_thread.allocate_lock` as they were before the patch.
  private let nativeThread: (start: PythonObject, lock: PythonObject)?
  private var glue: PythonObject?
  /// One verdict per object for the whole launch: each finish() judges again, and a second
  /// call would tell nothing new. The object is kept, so its identity is not reused.
  private var verdicts: [UInt: (object: PythonObject, verdict: Verdict)] = [:]

  /// `replaced` is the inspector's record of the originals the first patch replaced, where
  /// `_thread`'s native functions are found once the patch made the live ones green.
  /// Without them (thread patched by a later call) nothing is called: every verdict is
  /// `unknown`.
  init(replaced: [UInt: (name: String, value: PythonObject)]) {
    // By the function's own name: the record keeps one of its aliases (`start_new`).
    func native(_ name: String) -> PythonObject? {
      let live = try? PythonObject.importModule("_thread").attribute(name)
      let candidates = replaced.values.map(\.value) + [live].compactMap { $0 }
      return candidates.first {
        !$0.isFunction && $0.attributeIfPresent("__name__")?.stringValue == name
          && $0.attributeIfPresent("__module__")?.stringValue == "_thread"
      }
    }
    if let start = native("start_new_thread"), let lock = native("allocate_lock") {
      nativeThread = (start, lock)
    } else {
      nativeThread = nil
    }
  }

  /// Calls `function` once (the first time it is asked about) and says what it showed.
  func verdict(of function: PythonObject) -> Verdict {
    if let known = verdicts[function.identity] { return known.verdict }
    let verdict = judge(function)
    verdicts[function.identity] = (function, verdict)
    return verdict
  }

  private func judge(_ function: PythonObject) -> Verdict {
    guard let nativeThread, let yields = try? loaded().item("yields"),
      let result = try? yields.call(function, nativeThread.start, nativeThread.lock)
    else { return .unknown }
    if result.isNone { return .unknown }
    return result.isTrue ? .cooperative : .blocking
  }

  private func loaded() throws(PythonError) -> PythonObject {
    if let glue { return glue }
    // The glue (`Python/sleep_probe.py`), compiled on first use: Python because the probe
    // is a green wait in a thread.
    let namespace = try PythonGlue.sleepProbe.load(name: "greenlight.sleep_probe")
    glue = namespace
    return namespace
  }
}

/// Where a function was written, from its code object (a bound method's function's).
struct FunctionOrigin {
  /// `module.qualname`, as a person would import it.
  let name: String
  let file: String
  let line: Int?

  /// Nil for what has no Python code: builtins, classes, other callables.
  init?(_ function: PythonObject) {
    let plain = function.attributeIfPresent("__func__") ?? function
    guard plain.isFunction, let code = plain.attributeIfPresent("__code__"),
      let file = code.attributeIfPresent("co_filename")?.stringValue
    else { return nil }
    let module = plain.attributeIfPresent("__module__")?.stringValue
    let qualified = plain.attributeIfPresent("__qualname__")?.stringValue ?? "?"
    self.name = module.map { "\($0).\(qualified)" } ?? qualified
    self.file = file
    self.line = code.attributeIfPresent("co_firstlineno")?.integerValue
  }
}
