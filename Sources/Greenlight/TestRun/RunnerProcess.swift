import Synchronization

#if canImport(Glibc)
  import Glibc
#endif

/// The pid of the runner `greenlight test` is waiting for, read by the signal forwarder.
private let runnerPid = Atomic<Int32>(0)

/// The test runner as a child process: started with the parent's file descriptors, so its
/// output, JUnit or subunit streams reach their destination unchanged, and waited for with
/// the terminal's signals left to it.
enum RunnerProcess {
  /// How the runner ended.
  enum Outcome: Equatable {
    case exited(Int32)
    case signaled(Int32)
  }

  /// Signals a supervisor passes on to its child (a terminal's SIGINT and SIGQUIT reach
  /// the whole process group, so the runner gets them without help).
  static let forwarded: [Int32] = [SIGTERM, SIGHUP, SIGUSR1, SIGUSR2]

  /// Starts `arguments[0]` with `environment` and waits for it. Returns nil when it could
  /// not be started, with `errno`'s message.
  static func run(
    _ arguments: [String], environment: [String]
  ) -> Result<Outcome, SpawnFailure> {
    let argv = arguments.map { strdup($0) } + [nil]
    let envp = environment.map { strdup($0) } + [nil]
    defer {
      argv.forEach { free($0) }
      envp.forEach { free($0) }
    }
    var pid: pid_t = 0
    // The child inherits the parent's signal dispositions as they were when greenlight
    // started, as if python had been started directly.
    let status = posix_spawn(&pid, arguments[0], nil, nil, argv, envp)
    guard status == 0 else { return .failure(SpawnFailure(code: status)) }
    runnerPid.store(pid, ordering: .sequentiallyConsistent)

    let ignoredBefore = [SIGINT, SIGQUIT].map { ($0, signal($0, SIG_IGN)) }
    var previous: [(Int32, sighandler_t?)] = []
    for number in forwarded {
      previous.append(
        (
          number,
          signal(number) { number in
            let pid = runnerPid.load(ordering: .sequentiallyConsistent)
            if pid > 0 { kill(pid, number) }
          }
        ))
    }
    defer {
      for (number, handler) in ignoredBefore + previous { signal(number, handler) }
      runnerPid.store(0, ordering: .sequentiallyConsistent)
    }

    var waitStatus: Int32 = 0
    while waitpid(pid, &waitStatus, 0) < 0 {
      guard errno == EINTR else { return .failure(SpawnFailure(code: errno)) }
    }
    let signalNumber = waitStatus & 0x7f
    if signalNumber == 0 { return .success(.exited((waitStatus >> 8) & 0xff)) }
    return .success(.signaled(signalNumber))
  }

  /// Ends this process the way the runner ended: by the same signal, as a shell expects of
  /// a wrapper (falls back to 128 + the signal if the signal does not end it).
  static func die(by number: Int32) -> Int32 {
    signal(number, SIG_DFL)
    var mask = sigset_t()
    sigemptyset(&mask)
    sigaddset(&mask, number)
    sigprocmask(SIG_UNBLOCK, &mask, nil)
    raise(number)
    return 128 + number
  }
}

/// posix_spawn failed: its error number.
struct SpawnFailure: Error {
  let code: Int32
  var message: String { String(cString: strerror(code)) }
}
