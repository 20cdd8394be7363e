import CPythonShims
import Synchronization

#if canImport(Glibc)
  import Glibc
#endif

/// What the interpreter runs at hand-off, with `python`'s semantics for each.
public enum RunTarget: Equatable, Sendable {
  /// `python -m MODULE`.
  case module(String)
  /// `python -c CODE`.
  case command(String)
  /// `python FILE`.
  case file(String)
  /// Whatever python's own command line in ``InterpreterConfiguration/arguments`` says
  /// (`argv[0]` first), parsed by CPython itself: the python front end.
  case commandLine
}

/// How the one interpreter of this process is started.
public struct InterpreterConfiguration: Sendable {
  /// The name error messages give the interpreter (what `python` calls `argv[0]`).
  public var programName: String
  /// `sys.executable`; a venv's `bin/python` selects that venv.
  public var executable: String
  /// `sys.argv` as bytes, decoded by CPython as it decodes its own command line; for
  /// ``RunTarget/commandLine``, python's whole command line.
  public var arguments: [[UInt8]]
  /// What `runMain()` runs.
  public var target: RunTarget
  /// Whether to install the audit hook and keep the ``EventLog`` from the first import.
  public var observesEvents: Bool

  public init(
    programName: String, executable: String, arguments: [[UInt8]], target: RunTarget,
    observesEvents: Bool = true
  ) {
    self.programName = programName
    self.executable = executable
    self.arguments = arguments
    self.target = target
    self.observesEvents = observesEvents
  }
}

/// Why the interpreter did not start.
public enum InterpreterError: Error, Equatable, Sendable {
  /// CPython can be initialised once per process (a second init after patching segfaults).
  case alreadyStarted
  /// Initialisation asked the process to exit with this status (PyStatus_IsExit).
  case exitRequested(Int32)
  /// Initialisation failed; `function` is the CPython function that reported it.
  case initializationFailed(function: String?, message: String)
}

/// The owner of the process's one CPython interpreter, from configuration to finalisation.
///
/// `start` initialises on the calling thread, which then holds the GIL; launch phases run
/// Python through `PythonObject` on that same thread; `runMain` hands off and finalises.
public final class Interpreter {
  private static let started = Mutex(false)

  private init() {}

  /// The magic number of the marshalled code the linked interpreter reads (-1 if it cannot
  /// be read). GIL held.
  public static var magicNumber: Int { gl_magic_number() }

  /// Initialises CPython from `configuration`. The calling thread becomes Python's main
  /// thread and holds the GIL when this returns.
  public static func start(
    _ configuration: InterpreterConfiguration
  ) throws(InterpreterError) -> Interpreter {
    let first = started.withLock { started in
      defer { started = true }
      return !started
    }
    guard first else { throw .alreadyStarted }
    if configuration.observesEvents {
      // Before initialisation, so that the imports of start-up itself are seen.
      _ = gl_observe_install()
    }

    let (runKind, runValue) = configuration.target.shimValue
    let argv = CStringArray(configuration.arguments)
    defer { argv.free() }
    let status = configuration.programName.withCString { programName in
      configuration.executable.withCString { executable in
        runValue.withCString { runValue in
          var launch = gl_launch_config(
            program_name: programName, executable: executable,
            argc: Int32(configuration.arguments.count), argv: argv.pointers,
            run_kind: runKind, run_value: runValue)
          return gl_initialize(&launch)
        }
      }
    }
    switch status.kind {
    case 0: return Interpreter()
    case 1: throw .exitRequested(status.exit_code)
    default:
      throw .initializationFailed(
        function: status.function.map { String(cString: $0) },
        message: status.message.map { String(cString: $0) } ?? "unknown error")
    }
  }

  /// Installs the audit hook now, for a launch that did not need it from the start: what
  /// ran before is not seen (the hook costs every audit event, and `monkey_patch()` alone
  /// raises about 100k). Call with the GIL held; returns whether CPython accepted it.
  @discardableResult
  public func observeEventsFromNow() -> Bool {
    gl_observe_install() == 0
  }

  /// Takes the audit hook out again, when nothing will read events until
  /// ``observeEventsFromNow()``: audit events then cost what they cost in python. The
  /// events recorded so far stay in the log. Call with the GIL held.
  public func stopObservingEvents() {
    gl_observe_uninstall()
  }

  /// Hands control to the configured target with `python`'s semantics and finalises the
  /// interpreter. Returns the process's exit status (SystemExit may exit inside).
  public func runMain() -> Int32 {
    gl_flush_c_streams()
    return gl_run_main()
  }

  /// Finalises after a launch phase failed; Python's buffered output is flushed.
  public func finalize() {
    _ = gl_finalize()
    gl_flush_c_streams()
  }

  /// Ends Python's part of a process that never handed off (`check`): runs the `atexit`
  /// handlers registered so far and flushes Python's and C's buffered output, without
  /// tearing down every module (finalising a service of thousands of modules costs as much
  /// as a fifth of importing it) and without waiting for threads the import started.
  public func leave() {
    if let atexit = try? PythonObject.importModule("atexit") {
      _ = try? atexit.attribute("_run_exitfuncs").call()
    }
    if let sys = try? PythonObject.importModule("sys") {
      for stream in ["stdout", "stderr"] {
        _ = try? sys.attributeIfPresent(stream)?.attribute("flush").call()
      }
    }
    _ = PythonError.take()
    gl_flush_c_streams()
  }
}

extension RunTarget {
  fileprivate var shimValue: (gl_run_kind, String) {
    switch self {
    case .module(let name): (GL_RUN_MODULE, name)
    case .command(let code): (GL_RUN_COMMAND, code)
    case .file(let path): (GL_RUN_FILE, path)
    case .commandLine: (GL_RUN_PARSE, "")
    }
  }
}

/// A NULL-terminated C array of byte strings for `PyConfig_SetBytesArgv`.
private struct CStringArray {
  let pointers: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>

  init(_ strings: [[UInt8]]) {
    pointers = .allocate(capacity: strings.count + 1)
    for (index, bytes) in strings.enumerated() {
      let copy = UnsafeMutablePointer<CChar>.allocate(capacity: bytes.count + 1)
      bytes.withUnsafeBytes { raw in
        for offset in 0..<bytes.count { copy[offset] = CChar(bitPattern: raw[offset]) }
      }
      copy[bytes.count] = 0
      pointers[index] = copy
    }
    pointers[strings.count] = nil
  }

  func free() {
    var index = 0
    while let string = pointers[index] {
      string.deallocate()
      index += 1
    }
    pointers.deallocate()
  }
}
