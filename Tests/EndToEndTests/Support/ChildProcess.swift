import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// How a child process ended.
enum Termination: Equatable, CustomStringConvertible {
  case exited(Int32)
  case signalled(Int32)

  var description: String {
    switch self {
    case .exited(let status): "exit \(status)"
    case .signalled(let signal): "signal \(signal)"
    }
  }
}

/// What a finished child process did.
struct ChildResult {
  let termination: Termination
  let stdout: [UInt8]
  let stderr: [UInt8]

  var stdoutText: String { String(decoding: stdout, as: UTF8.self) }
  var stderrText: String { String(decoding: stderr, as: UTF8.self) }
  var status: Int32? {
    if case .exited(let status) = termination { return status }
    return nil
  }
}

/// A child process started with posix_spawn: every signal at its default action and an
/// empty mask (a shell's background job ignores SIGINT, and python then installs no
/// handler for it), stdin from bytes, stdout and stderr to files (or both to one file, to
/// see their order on a shared pipe).
final class ChildProcess {
  let pid: pid_t
  private let folder: String
  private let mergedOutput: Bool

  init(
    _ executable: String, _ arguments: [[UInt8]], stdin: [UInt8] = [],
    workingDirectory: String? = nil, environment: [String: String] = [:],
    removing removed: Set<String> = [], mergeOutput: Bool = false
  ) throws {
    folder = NSTemporaryDirectory() + "greenlight-test-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    mergedOutput = mergeOutput
    try Data(stdin).write(to: URL(fileURLWithPath: folder + "/stdin"))

    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 0, folder + "/stdin", O_RDONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 1, folder + "/stdout", O_WRONLY | O_CREAT, 0o600)
    if mergeOutput {
      posix_spawn_file_actions_adddup2(&actions, 1, 2)
    } else {
      posix_spawn_file_actions_addopen(
        &actions, 2, folder + "/stderr", O_WRONLY | O_CREAT, 0o600)
    }

    var attributes = posix_spawnattr_t()
    posix_spawnattr_init(&attributes)
    defer { posix_spawnattr_destroy(&attributes) }
    var all = sigset_t()
    sigfillset(&all)
    var none = sigset_t()
    sigemptyset(&none)
    posix_spawnattr_setsigdefault(&attributes, &all)
    posix_spawnattr_setsigmask(&attributes, &none)
    posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))

    var merged = ProcessInfo.processInfo.environment.filter { !removed.contains($0.key) }
    merged.merge(environment) { $1 }
    // env -C changes the working directory and execs: posix_spawn's chdir action is not
    // visible to Swift here, and chdir in this process would race the parallel tests.
    let prefix = workingDirectory.map { ["/usr/bin/env", "-C", $0, executable] } ?? [executable]
    let command = prefix.map { Array($0.utf8) } + arguments
    let argv = command.map { bytes in strdup(bytes.map { CChar(bitPattern: $0) } + [0]) } + [nil]
    let envp = merged.map { strdup("\($0.key)=\($0.value)") } + [nil]
    defer {
      argv.forEach { free($0) }
      envp.forEach { free($0) }
    }
    var child: pid_t = 0
    let status = posix_spawn(&child, prefix[0], &actions, &attributes, argv, envp)
    guard status == 0 else {
      throw POSIXError(POSIXErrorCode(rawValue: status) ?? .EINVAL)
    }
    pid = child
  }

  /// Sends `signal` to the child.
  func send(_ signal: Int32) {
    kill(pid, signal)
  }

  /// What the child has written to stdout so far.
  var stdoutSoFar: String {
    (try? String(contentsOfFile: folder + "/stdout", encoding: .utf8)) ?? ""
  }

  /// Waits until stdout contains `text`, or `seconds` pass.
  func waitForOutput(_ text: String, seconds: Double = 30) -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
      if stdoutSoFar.contains(text) { return true }
      usleep(20_000)
    }
    return false
  }

  /// Waits for the child to end; kills it after `seconds`.
  func wait(seconds: Double = 120) -> ChildResult {
    let deadline = Date().addingTimeInterval(seconds)
    var status: Int32 = 0
    while waitpid(pid, &status, WNOHANG) == 0 {
      if Date() > deadline {
        kill(pid, SIGKILL)
        waitpid(pid, &status, 0)
        break
      }
      usleep(5_000)
    }
    let termination: Termination =
      (status & 0x7f) == 0 ? .exited((status >> 8) & 0xff) : .signalled(status & 0x7f)
    let stdout = FileManager.default.contents(atPath: folder + "/stdout") ?? Data()
    let stderr =
      mergedOutput ? Data() : (FileManager.default.contents(atPath: folder + "/stderr") ?? Data())
    try? FileManager.default.removeItem(atPath: folder)
    return ChildResult(termination: termination, stdout: Array(stdout), stderr: Array(stderr))
  }

  /// Runs to the end.
  static func run(
    _ executable: String, _ arguments: [[UInt8]], stdin: [UInt8] = [],
    workingDirectory: String? = nil, environment: [String: String] = [:],
    removing removed: Set<String> = [], mergeOutput: Bool = false, seconds: Double = 120
  ) throws -> ChildResult {
    try ChildProcess(
      executable, arguments, stdin: stdin, workingDirectory: workingDirectory,
      environment: environment, removing: removed, mergeOutput: mergeOutput
    ).wait(seconds: seconds)
  }
}
