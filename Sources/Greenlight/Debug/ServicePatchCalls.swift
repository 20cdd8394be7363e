import PythonRuntime

/// The debug mode's watch on the service's own `monkey_patch` calls after hand-off. greenlight
/// has patched every module, thread included, and a later call cannot undo that; a call that
/// asks for native threads (the usual way to make a debugger work) is reported as GL402 with
/// the reason and the alternative, the moment it is made.
enum ServicePatchCalls {
  static func watch(_ request: LaunchRequest) {
    // Nothing else reads the event log after hand-off; the watch's calls are recorded
    // with their call sites whatever the level.
    EventLog.record(.off)
    PatchWatch.handOver(
      to: .init(
        before: { index in
          report(EventLog.event(at: index), request)
          return 0
        },
        after: { _ in 0 }))
  }

  private static func report(_ event: ObservedEvent, _ request: LaunchRequest) {
    guard let call = try? PatchCall(event: event), !call.isGreenlight else { return }
    let missing = call.unpatchedCoreModules
    guard !missing.isEmpty, let view = try? ProcessView() else { return }
    let finding: Finding
    if missing.contains("thread") {
      finding = Finding(
        .threadFalseForDebugger, severity: .warning,
        message: "eventlet.\(call.spelled) asks for native threads, the usual way to make a"
          + " debugger work; with green sockets and sleep that deadlocks on the first contended"
          + " lock, so greenlight debug keeps every module patched, thread included, and this"
          + " call changes nothing.",
        subject: missing.joined(separator: ", "), location: view.location(call.stack.first),
        fix: "Remove thread=False: breakpoint() stops in a green thread with the others parked;"
          + " for a running service use --backdoor unix:PATH and `greenlight attach PATH`.")
    } else {
      finding = Finding(
        .partialPatch, severity: .warning,
        message: "eventlet.\(call.spelled) leaves \(missing.joined(separator: ", ")) unpatched;"
          + " greenlight debug had already patched every module, so this call changes nothing.",
        subject: missing.joined(separator: ", "), location: view.location(call.stack.first))
    }
    _ = Reporting(request).publish([finding])
  }
}
