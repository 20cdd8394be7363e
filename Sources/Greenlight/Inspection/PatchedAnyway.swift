import PythonRuntime

/// `--patch none` asked for native threads, and the service patched itself anyway: one
/// finding (GL601) at the call site, naming the project's own switch when its code reads
/// one, instead of every rule about a patch nobody wanted judged.
struct PatchedAnyway {
  let inspector: Inspector
  private var view: ProcessView { inspector.view }

  /// The finding for the service's first call, or nil when nothing but greenlight patched.
  func judge() -> Finding? {
    guard let call = inspector.calls.first, !call.isGreenlight else { return nil }
    let frame = call.stack.first
    let site = view.location(frame)
    let switchText = frame.flatMap { Self.projectSwitch(inFile: $0.file) }.map {
      "its own switch is \($0.name), read at \(view.display($0.file)):\($0.line); change it"
        + " to choose native threads, or "
    }
    return Finding(
      .eventletInNativeMode,
      message: "The service patched itself (eventlet.\(call.spelled))"
        + " although --patch none asked for native threads: the process runs on eventlet.",
      subject: "eventlet.monkey_patch", location: site,
      fix: "The service decides its own mode: " + (switchText ?? "")
        + "run it with --patch auto to judge the mode it chooses.")
  }

  /// An environment variable the file reads whose name speaks of eventlet or patching
  /// (`os.environ.get('OS_NOVA_DISABLE_EVENTLET_PATCHING', '')`): how that project turns
  /// its patch off.
  static func projectSwitch(inFile file: String) -> (name: String, file: String, line: Int)? {
    guard let text = FileSystem.readText(file) else { return nil }
    var number = 0
    for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
      number += 1
      guard line.contains("environ") || line.contains("getenv") else { continue }
      for name in quotedNames(line)
      where name.contains("EVENTLET") || name.contains("PATCH") {
        return (name, file, number)
      }
    }
    return nil
  }

  /// The upper-case names in quotes on a line: `'OS_NOVA_DISABLE_EVENTLET_PATCHING'`.
  private static func quotedNames(_ line: Substring) -> [String] {
    line.matches(of: /['"]([A-Z][A-Z0-9_]*)['"]/).map { String($0.output.1) }
  }
}
