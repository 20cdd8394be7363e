import CPythonShims
import PythonRuntime

/// GL106, GL107 and GL201: judged after patching by object identity, never by eventlet's
/// flags. A module that was to be patched must hold eventlet's green objects; no module of
/// the service or its libraries may still hold an original that the patch replaced.
struct StaleReferences {
  let inspector: Inspector
  private var view: ProcessView { inspector.view }

  func judge() throws(PythonError) -> [Finding] {
    guard let first = inspector.calls.first else { return [] }
    return try incomplete(first) + stale() + nativeSubprocess(first)
  }

  // GL106: each attribute eventlet lists in a green module's __patched__ must be that
  // green object in the live module.
  private func incomplete(_ first: PatchCall) throws(PythonError) -> [Finding] {
    let patcher = try PythonObject.importModule("eventlet.patcher")
    var requested: Set<String> = []
    for call in inspector.calls {
      for (name, on) in call.effective where on { requested.insert(name) }
    }
    var findings: [Finding] = []
    for flag in ["os", "select", "socket", "thread", "time", "subprocess"]
    where requested.contains(flag) {
      for pair in try patcher.attribute("_green_\(flag)_modules").call().elements() {
        let items = try pair.elements()
        guard items.count == 2, let name = items[0].stringValue, let live = view.module(name)
        else { continue }
        let green = items[1]
        for attribute in try (green.attributeIfPresent("__patched__")?.elements() ?? []) {
          guard let key = attribute.stringValue, let expected = green.attributeIfPresent(key)
          else { continue }
          if let actual = live.attributeIfPresent(key), actual.isIdentical(to: expected) {
            continue
          }
          findings.append(
            Finding(
              .patchIncomplete,
              message: "\(name).\(key) is not eventlet's green object although \(flag) was"
                + " patched (the module was reloaded or the attribute reassigned).",
              subject: "\(name).\(key)", location: view.location(first.stack.first)))
        }
      }
    }
    return findings
  }

  // GL107 (GL201 for subprocess): originals held by the service's and libraries' modules,
  // found by one C scan per module (gl_scan_references). An original that the module took
  // itself from eventlet.patcher.original() is left out.
  private func stale() throws(PythonError) -> [Finding] {
    let originals = inspector.replacedOriginals
    guard !originals.isEmpty else { return [] }
    let addresses = originals.keys.sorted()
    let taken = OriginalModules(view: view)
    var findings: [Finding] = []
    for module in try view.moduleNames() where inspector.isInspected(module) {
      guard let namespace = view.module(module)?.namespace else { continue }
      let name = try PythonObject.string(module)
      let hits = try PythonError.check(
        withExtendedLifetime(name) {
          addresses.withUnsafeBufferPointer { buffer in
            gl_scan_references(namespace.pointer, name.pointer, buffer.baseAddress, buffer.count)
          }
        })
      guard try !hits.elements().isEmpty else { continue }
      let file = view.file(ofModule: module)
      let source = SourceLines(file: file)
      for hit in try hits.elements() {
        let parts = try hit.elements()
        guard parts.count == 3, let kind = parts[0].stringValue,
          let index = parts[2].integerValue, let original = originals[addresses[index]]?.name
        else { continue }
        // Taken on purpose from eventlet.patcher.original() by this very module: native by
        // design, not a reference left over from before the patch.
        guard !taken.handsOut(addresses[index], toFile: file) else { continue }
        let holder = parts[1]
        switch kind {
        case "global":
          let name = holder.stringValue ?? "?"
          findings.append(
            finding(
              original, "\(module).\(name) still holds the native \(original).",
              subject: "\(module).\(name)", file: file, line: source.binding(of: name)))
        case "base":
          let name = holder.className ?? "?"
          findings.append(
            finding(
              original, "class \(module).\(name) subclasses the native \(original).",
              subject: "\(module).\(name)", file: file, line: source.classLine(of: name)))
        default:
          let name = holder.attributeIfPresent("__qualname__")?.stringValue ?? "?"
          let line = holder.attributeIfPresent("__code__")?.attributeIfPresent("co_firstlineno")
          findings.append(
            finding(
              original, "\(module).\(name) has the native \(original) as a default argument.",
              subject: "\(module).\(name)", file: file, line: line?.integerValue))
        }
      }
    }
    return findings
  }

  private func finding(
    _ original: String, _ message: String, subject: String, file: String?, line: Int?
  ) -> Finding {
    let isSubprocess = original.hasPrefix("subprocess.")
    let module = original.prefix { $0 != "." }
    let owner = subject.split(separator: ".").dropLast().joined(separator: ".")
    return Finding(
      isSubprocess ? .nativeSubprocess : .staleOriginal, message: message, subject: subject,
      location: file.map { SourceLocation(file: view.display($0), line: line) },
      fix: "Use \(original) through its module at call time (import \(module)), or patch"
        + " before \(owner.isEmpty ? "it" : owner) is imported.")
  }

  // GL201: the service's own patch leaves check_output, getoutput and getstatusoutput
  // blocking: one finding for the module, at info level: it is eventlet's gap, present in
  // every process that patches itself, not a mistake of the service's (a module holding the
  // native Popen is an error, above). greenlight closes the gap in --patch first and, when
  // the service's call patched what the green Popen relies on, in --patch target at the
  // call's return: then nothing is left to report.
  private func nativeSubprocess(_ first: PatchCall) throws(PythonError) -> [Finding] {
    // After greenlight's own patch the verify phase has already proven subprocess green.
    guard !first.isGreenlight, first.effective["subprocess"] == true else { return [] }
    let native = try GreenSubprocess.nativeEntryPoints()
    guard !native.isEmpty else { return [] }
    let names = native.map { "subprocess.\($0)" }.joined(separator: ", ")
    return [
      Finding(
        .nativeSubprocess, severity: .info,
        message: "\(names) still block the hub after eventlet.monkey_patch(): they reach a"
          + " native Popen (eventlet 0.41.3 patches only Popen, call and check_call fully).",
        subject: "subprocess", location: view.location(first.stack.first),
        fix: gapFix(first))
    ]
  }

  /// What closes eventlet's subprocess gap, for this launch.
  private func gapFix(_ first: PatchCall) -> String {
    let alternative = "; until then call Popen, call or check_call"
    guard inspector.context.mode == .target else {
      return "Run with --patch target or first: greenlight then makes every subprocess entry"
        + " point green\(alternative)."
    }
    let needs = inspector.completion?.subprocessNeeds ?? []
    guard !needs.isEmpty else {
      return "Call Popen, call or check_call: greenlight could not make the others green."
    }
    return "Patch \(needs.joined(separator: ", ")) too (eventlet.monkey_patch() with no"
      + " arguments): greenlight then makes every subprocess entry point green when the call"
      + " returns\(alternative)."
  }

}

/// A source file's lines, for the line a name is bound on; read on first use, since most
/// modules inspected have nothing to report.
final class SourceLines {
  private let file: String?
  private lazy var lines: [Substring] =
    file.flatMap(FileSystem.readText).map {
      $0.split(separator: "\n", omittingEmptySubsequences: false)
    } ?? []

  init(file: String?) { self.file = file }

  /// The first line that imports `name` or assigns it at the start of a line.
  func binding(of name: String) -> Int? {
    for (index, line) in lines.enumerated() {
      let text = line.trimmingWhitespace()
      let words = text.split { !($0.isLetter || $0.isNumber || $0 == "_") }
      if (text.hasPrefix("from ") || text.hasPrefix("import ")) && words.contains(Substring(name)) {
        return index + 1
      }
      if text.hasPrefix(name + " =") || text.hasPrefix(name + "=") { return index + 1 }
    }
    return nil
  }

  /// The line of `class name`.
  func classLine(of name: String) -> Int? {
    lines.firstIndex {
      let text = $0.trimmingWhitespace()
      return text.hasPrefix("class \(name)(") || text.hasPrefix("class \(name):")
    }.map { $0 + 1 }
  }

  /// The line a global is made on: its binding, its `class`, or its `def`.
  func definition(of name: String) -> Int? {
    binding(of: name) ?? classLine(of: name)
      ?? lines.firstIndex {
        let text = $0.trimmingWhitespace()
        return text.hasPrefix("def \(name)(") || text.hasPrefix("async def \(name)(")
      }.map { $0 + 1 }
  }
}
