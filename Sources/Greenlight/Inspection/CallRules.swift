import PythonRuntime

/// The rules about each monkey_patch call's arguments: a partial patch (GL103) and the
/// "debugger present, so thread=False" workaround (GL402). In `--patch first` a service's
/// own partial call changes nothing, because greenlight patched everything before it; it is
/// reported as neutralised, at warning level.
struct CallRules {
  let inspector: Inspector
  private var view: ProcessView { inspector.view }

  /// Debuggers whose presence explains a `thread=False`.
  static let debuggers = [
    "pydevd", "debugpy", "pdb", "ipdb", "pudb", "_pydevd_bundle", "pydevd_tracing",
  ]

  func judge(_ call: PatchCall, isFirst: Bool) throws(PythonError) -> [Finding] {
    guard !call.isGreenlight else { return [] }
    let missing = call.unpatchedCoreModules
    guard !missing.isEmpty else { return [] }
    let neutralised = inspector.context.mode == .first
    let site = view.location(call.stack.first)
    let subject = call.stack.first.flatMap { view.moduleName(ofFile: $0.file) } ?? "monkey_patch"
    let debugger = Self.debuggers.first { view.module($0) != nil }
    var message: String
    let rule: Rule
    if missing.contains("thread"), let debugger {
      rule = .threadFalseForDebugger
      message =
        "eventlet.\(call.spelled) leaves threading native because the debugger \(debugger) is"
        + " loaded; green threads then share native locks."
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
