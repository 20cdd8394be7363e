import PythonRuntime

/// The rules about each monkey_patch call's arguments: a partial patch (GL103) and the
/// "debugger in use, so thread=False" workaround (GL402). In `--patch first` a service's
/// own partial call changes nothing, because greenlight patched everything before it; it is
/// reported as neutralised, at warning level. Every finding is at the call's own site.
struct CallRules {
  let inspector: Inspector
  private var view: ProcessView { inspector.view }

  func judge(_ call: PatchCall, isFirst: Bool) throws(PythonError) -> [Finding] {
    guard !call.isGreenlight else { return [] }
    return try partial(call) + patchOnImport(call)
  }

  // GL105: a library (not the target's package, nor one the policy names as the service's)
  // patched while being imported; in
  // any mode, since the library cannot be imported without eventlet either way.
  private func patchOnImport(_ call: PatchCall) -> [Finding] {
    let caller = call.stack.first.flatMap { view.moduleName(ofFile: $0.file) }
    guard let caller, caller != "__main__", caller != "__greenlight_check__",
      view.isInitializing(caller),
      view.topLevel(caller) != inspector.context.targetPackage,
      !view.service.contains(view.topLevel(caller)),
      !inspector.context.judgesOnlyLibrariesForPatchOnImport
        || view.origin(ofModule: caller) == .library,
      view.origin(ofModule: caller) != .eventlet
    else { return [] }
    return [
      Finding(
        .patchOnImport,
        message: "\(caller) calls eventlet.monkey_patch() while it is being imported, so"
          + " nothing that imports it can run without eventlet.",
        subject: caller, location: view.location(call.stack.first))
    ]
  }

  // GL103 and GL402.
  private func partial(_ call: PatchCall) throws(PythonError) -> [Finding] {
    let missing = call.unpatchedCoreModules
    guard !missing.isEmpty else { return [] }
    let neutralised = inspector.context.mode == .first
    let site = view.location(call.stack.first)
    // The subject is what stays native: `thread`, or `thread, time`.
    let subject = missing.joined(separator: ", ")
    // A debugger merely imported (pdb is, by many test tools) explains nothing: only one in
    // use at this instant makes a thread=False the debugger workaround.
    let debugger = missing.contains("thread") ? DebuggerInUse.describe(view) : nil
    var message: String
    let rule: Rule
    if let debugger {
      rule = .threadFalseForDebugger
      message =
        "eventlet.\(call.spelled) leaves threading native while a debugger is in use"
        + " (\(debugger)); green threads then share native locks."
    } else {
      rule = .partialPatch
      message =
        "eventlet.\(call.spelled) leaves \(missing.joined(separator: ", ")) unpatched"
        + (missing.contains("thread") && call.effective["time"] == true
          ? "; with time patched, green threads deadlock on native locks." : ".")
    }
    if neutralised {
      message += " greenlight had already patched every module, so this call changes nothing."
    }
    return [
      Finding(
        rule, severity: neutralised ? .warning : nil, message: message, subject: subject,
        location: site)
    ]
  }
}
