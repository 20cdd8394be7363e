import PythonRuntime
import Synchronization

/// The debug mode's watch on the service's own `monkey_patch` calls after hand-off. greenlight
/// has patched every module, thread included, and a later call cannot undo that; a call that
/// asks for native threads (the usual way to make a debugger work) is reported as GL402 with
/// the reason and the alternative, the moment it is made.
enum ServicePatchCalls {
  /// Every finding of the run so far: a report file, JSON or SARIF is rewritten whole at
  /// each late finding; text on stderr shows the new one only.
  private static let findings = Mutex<[Finding]>([])

  static func watch(_ request: LaunchRequest, reported: [Finding]) {
    findings.withLock { $0 = reported }
    // Nothing else reads the event log after hand-off; the watch's calls are recorded
    // with their call sites whatever the level.
    EventLog.record(.off)
    PatchWatch.handOver(
      to: .init(
        before: { index in
          guard let finding = judge(EventLog.event(at: index)) else { return 0 }
          let all = findings.withLock { all in
            all.append(finding)
            return all
          }
          let wholeReport = request.report.file != nil || request.report.format != .text
          // debug patches first: greenlight's patch decided, whatever the service calls later.
          _ = Reporting(request).publish(
            wholeReport ? all : [finding],
            process: ProcessMode(concurrency: .eventlet, patchedBy: .greenlight))
          return 0
        },
        after: { _ in 0 }))
  }

  /// GL402 for a call that leaves `thread` native, GL103 for any other partial call. Both
  /// are at the call's own frame, so the view needs no service packages.
  private static func judge(_ event: ObservedEvent) -> Finding? {
    guard let call = try? PatchCall(event: event), !call.isGreenlight else { return nil }
    let missing = call.unpatchedCoreModules
    guard !missing.isEmpty, let view = try? ProcessView(service: .none) else { return nil }
    if missing.contains("thread") {
      return Finding(
        .threadFalseForDebugger, severity: .warning,
        message: "eventlet.\(call.spelled) asks for native threads, the usual way to make a"
          + " debugger work; with green sockets and sleep that deadlocks on the first contended"
          + " lock, so greenlight debug keeps every module patched, thread included, and this"
          + " call changes nothing.",
        subject: missing.joined(separator: ", "), location: view.location(call.stack.first),
        fix: "Remove thread=False: breakpoint() stops in a green thread with the others parked;"
          + " for a running service use --backdoor unix:PATH and `greenlight attach PATH`.")
    } else {
      return Finding(
        .partialPatch, severity: .warning,
        message: "eventlet.\(call.spelled) leaves \(missing.joined(separator: ", ")) unpatched;"
          + " greenlight debug had already patched every module, so this call changes nothing.",
        subject: missing.joined(separator: ", "), location: view.location(call.stack.first))
    }
  }
}
