import Synchronization

#if canImport(Glibc)
  import Glibc
#endif

/// The process group `greenlight test --compare` is waiting for, read by the forwarder.
private let timedGroup = Atomic<Int32>(0)
/// The last signal forwarded to it: the person asked the comparison to stop.
private let forwardedSignal = Atomic<Int32>(0)

/// One mode's runner under `greenlight test --compare`: in a process group of its own, so
/// that when `--compare-timeout` runs out every process of the mode can be found, asked for
/// its stacks and ended, and the comparison goes on. stdout goes to a file when it carries
/// the runner's record (a subunit stream); stderr stays greenlight's.
enum TimedRunner {
  struct Ended {
    var outcome: RunnerProcess.Outcome
    var timedOut: Bool
    /// The stacks of the processes that were still running when the time ran out.
    var stacks: String?
    /// The signal the person sent to stop the comparison, forwarded to the runner.
    var interrupted: Int32?
  }

  /// Seconds the runner gets to finish its record once its children are gone, and again
  /// once it was sent SIGINT (pytest writes its JUnit XML then).
  static let grace: Double = 10

  /// The signals passed on to the runner's group (with ``RunnerProcess/forwarded``): a
  /// terminal's SIGINT and SIGQUIT no longer reach it by themselves. All but SIGUSR1 and
  /// SIGUSR2 stop the comparison once the runner has ended.
  static let forwarded: [Int32] = [SIGINT, SIGQUIT, SIGTERM, SIGHUP]

  static func run(
    _ arguments: [String], environment: [String], stdout: String?, seconds: Double,
    stacksFolder: String
  ) -> Result<Ended, SpawnFailure> {
    let argv = arguments.map { strdup($0) } + [nil]
    let envp = environment.map { strdup($0) } + [nil]
    defer {
      argv.forEach { free($0) }
      envp.forEach { free($0) }
    }
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    if let stdout {
      posix_spawn_file_actions_addopen(&actions, 1, stdout, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
    }
    var attributes = posix_spawnattr_t()
    posix_spawnattr_init(&attributes)
    defer { posix_spawnattr_destroy(&attributes) }
    posix_spawnattr_setpgroup(&attributes, 0)
    posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP))
    // The forwarder first: a signal from now on reaches the runner's group, or, before it
    // exists, is passed on as soon as it does (the child starts with default actions).
    timedGroup.store(0, ordering: .sequentiallyConsistent)
    forwardedSignal.store(0, ordering: .sequentiallyConsistent)
    var previous: [(Int32, sighandler_t?)] = []
    for number in forwarded + RunnerProcess.forwarded
    where !previous.contains(where: { $0.0 == number }) {
      previous.append(
        (
          number,
          signal(number) { number in
            let group = timedGroup.load(ordering: .sequentiallyConsistent)
            // SIGUSR1 and SIGUSR2 are for the suite; the others stop the comparison.
            if number != SIGUSR1, number != SIGUSR2 {
              forwardedSignal.store(number, ordering: .sequentiallyConsistent)
            }
            if group > 0 { kill(-group, number) }
          }
        ))
    }
    defer {
      for (number, handler) in previous { signal(number, handler) }
      timedGroup.store(0, ordering: .sequentiallyConsistent)
    }
    var pid: pid_t = 0
    let status = posix_spawn(&pid, arguments[0], &actions, &attributes, argv, envp)
    guard status == 0 else { return .failure(SpawnFailure(code: status)) }
    timedGroup.store(pid, ordering: .sequentiallyConsistent)
    if let early = interruption() { kill(-pid, early) }

    let deadline = Monotonic.now + seconds
    if let outcome = wait(pid, until: deadline) {
      return .success(Ended(outcome: outcome, timedOut: false, interrupted: interruption()))
    }
    // The time ran out: the stacks first, then the runner's children, so that it can still
    // write what it knows (stestr reports its workers' end); then the runner itself.
    let stacks = ProcessGroup.stacks(of: pid, folder: stacksFolder)
    ProcessGroup.members(pid).filter { $0 != pid }.forEach { kill($0, SIGKILL) }
    var outcome = wait(pid, until: Monotonic.now + grace)
    if outcome == nil {
      kill(pid, SIGINT)
      outcome = wait(pid, until: Monotonic.now + grace)
    }
    if outcome == nil {
      kill(-pid, SIGKILL)
      outcome = wait(pid, until: .infinity)
    }
    ProcessGroup.members(pid).forEach { kill($0, SIGKILL) }
    return .success(
      Ended(
        outcome: outcome ?? .signaled(SIGKILL), timedOut: true, stacks: stacks,
        interrupted: interruption()))
  }

  private static func interruption() -> Int32? {
    let number = forwardedSignal.load(ordering: .sequentiallyConsistent)
    return number == 0 ? nil : number
  }

  /// Waits for `pid` until `deadline` (monotonic seconds); nil when it is still running.
  private static func wait(_ pid: pid_t, until deadline: Double) -> RunnerProcess.Outcome? {
    var waitStatus: Int32 = 0
    while true {
      let reaped = waitpid(pid, &waitStatus, WNOHANG)
      if reaped == pid { break }
      if reaped < 0, errno != EINTR { return .exited(127) }
      if Monotonic.now >= deadline { return nil }
      usleep(50_000)
    }
    let signalNumber = waitStatus & 0x7f
    if signalNumber == 0 { return .exited((waitStatus >> 8) & 0xff) }
    return .signaled(signalNumber)
  }
}

/// Seconds of CLOCK_MONOTONIC.
enum Monotonic {
  static var now: Double {
    var time = timespec()
    clock_gettime(CLOCK_MONOTONIC, &time)
    return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
  }
}
