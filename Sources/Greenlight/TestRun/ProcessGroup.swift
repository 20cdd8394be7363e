import PythonRuntime

#if canImport(Glibc)
  import Glibc
#endif

/// The processes of a runner's process group, found in /proc, and their stacks.
enum ProcessGroup {
  /// Seconds the processes get to write their stacks.
  static let dumpWait: Double = 3

  /// The live processes whose process group is `group`.
  static func members(_ group: pid_t) -> [pid_t] {
    FileSystem.contents(of: "/proc").compactMap { name -> pid_t? in
      guard let pid = pid_t(name), let stat = FileSystem.readText("/proc/\(name)/stat"),
        let close = stat.lastIndex(of: ")")
      else { return nil }
      // After "pid (comm)": state, ppid, pgrp.
      let fields = stat[stat.index(after: close)...].split(separator: " ")
      guard fields.count > 2, fields[0] != "Z", pid_t(fields[2]) == group else { return nil }
      return pid
    }
  }

  /// The command line of `pid`, as ps shows it.
  static func commandLine(_ pid: pid_t) -> String {
    let raw = FileSystem.readText("/proc/\(pid)/cmdline") ?? ""
    return raw.split(separator: "\0").joined(separator: " ")
  }

  /// Asks every process of `group` that registered for it (``StackDumpSignal``) for its
  /// stacks, and returns them, each under the process's id and command line; nil when no
  /// process could be asked.
  static func stacks(of group: pid_t, folder: String) -> String? {
    let asked = members(group).filter {
      FileSystem.exists(StackDumpSignal.path(in: folder, pid: $0))
    }
    guard !asked.isEmpty else { return nil }
    let commands = Dictionary(uniqueKeysWithValues: asked.map { ($0, commandLine($0)) })
    for pid in asked { kill(pid, StackDumpSignal.signal) }
    // faulthandler writes at once from its handler; a process that cannot run it at all
    // (stopped, in the kernel) is given a moment, then left out.
    let deadline = Monotonic.now + dumpWait
    var texts: [pid_t: String] = [:]
    while Monotonic.now < deadline {
      for pid in asked where texts[pid] == nil {
        let text = FileSystem.readText(StackDumpSignal.path(in: folder, pid: pid)) ?? ""
        if !text.isEmpty { texts[pid] = text }
      }
      if texts.count == asked.count { break }
      usleep(100_000)
    }
    // One more read: a dump may have been still being written when first seen.
    usleep(200_000)
    return asked.map { pid in
      let text = FileSystem.readText(StackDumpSignal.path(in: folder, pid: pid)) ?? ""
      return "process \(pid): \(commands[pid] ?? "")\n"
        + (text.isEmpty ? "(no stacks: the process did not answer)\n" : text)
    }.joined(separator: "\n")
  }
}
