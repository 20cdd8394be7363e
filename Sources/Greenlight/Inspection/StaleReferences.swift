import CPythonShims
import PythonRuntime

/// GL106, GL107 and GL201: judged after patching by object identity, never by eventlet's
/// flags (and a stand-in for sleep by its behaviour, ``SleepProbe``). A module that was to
/// be patched must hold eventlet's green objects (``IncompletePatch``); no module of the
/// service or its libraries may still hold an original that the patch replaced.
struct StaleReferences {
  let inspector: Inspector
  private var view: ProcessView { inspector.view }

  func judge() throws(PythonError) -> [Finding] {
    guard let first = inspector.calls.first else { return [] }
    return try IncompletePatch(inspector: inspector).judge(first) + stale()
      + nativeSubprocess(first)
  }

  // GL107 (GL201 for subprocess): originals held by the service's and libraries' modules,
  // found by one C scan per module (gl_scan_references). An original that the module took
  // itself from eventlet.patcher.original() is left out. An original that was a stand-in
  // for sleep of someone's own (a library had replaced time.sleep before the patch) is one
  // finding for that function, judged by calling it (StaleWrapper).
  private func stale() throws(PythonError) -> [Finding] {
    let originals = inspector.replacedOriginals
    guard !originals.isEmpty else { return [] }
    let addresses = originals.keys.sorted()
    let taken = OriginalModules(view: view)
    var findings: [Finding] = []
    var wrappers: [StaleWrapper] = []
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
          let index = parts[2].integerValue, let entry = originals[addresses[index]]
        else { continue }
        let original = entry.name
        // Taken on purpose from eventlet.patcher.original() by this very module: native by
        // design, not a reference left over from before the patch.
        guard !taken.handsOut(addresses[index], toFile: file) else { continue }
        let holder = parts[1]
        let held: (subject: String, message: String, line: Int?)
        switch kind {
        case "global":
          let name = holder.stringValue ?? "?"
          held = (
            "\(module).\(name)", "\(module).\(name) still holds the native \(original).",
            source.definition(of: name)
          )
        case "base":
          let name = holder.className ?? "?"
          held = (
            "\(module).\(name)", "class \(module).\(name) subclasses the native \(original).",
            source.classLine(of: name)
          )
        default:
          let name = holder.attributeIfPresent("__qualname__")?.stringValue ?? "?"
          let line = holder.attributeIfPresent("__code__")?.attributeIfPresent("co_firstlineno")
          held = (
            "\(module).\(name)",
            "\(module).\(name) has the native \(original) as a default argument.",
            line?.integerValue
          )
        }
        let location = file.map { SourceLocation(file: view.display($0), line: held.line) }
        if let wrapper = StaleWrapper(original: original, value: entry.value) {
          if let index = wrappers.firstIndex(where: { $0.value.isIdentical(to: entry.value) }) {
            wrappers[index].holders.append((held.subject, location))
          } else {
            var wrapper = wrapper
            wrapper.holders.append((held.subject, location))
            wrappers.append(wrapper)
          }
          continue
        }
        findings.append(finding(original, held.message, subject: held.subject, at: location))
      }
    }
    return findings
      + wrappers.map { $0.finding(inspector.sleepProbe.verdict(of: $0.value), view: view) }
  }

  private func finding(
    _ original: String, _ message: String, subject: String, at location: SourceLocation?
  ) -> Finding {
    let isSubprocess = original.hasPrefix("subprocess.")
    let module = original.prefix { $0 != "." }
    let owner = subject.split(separator: ".").dropLast().joined(separator: ".")
    return Finding(
      isSubprocess ? .nativeSubprocess : .staleOriginal, message: message, subject: subject,
      location: location,
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

  /// The first line that imports `name` or assigns it at the start of a line; an import
  /// that renames it (`from time import sleep as pause`) binds the new name, not `name`.
  func binding(of name: String) -> Int? {
    for (index, line) in lines.enumerated() {
      let text = line.trimmingWhitespace()
      let words = text.split { !($0.isLetter || $0.isNumber || $0 == "_") }
      let bound = words.indices.contains {
        words[$0] == name && (words.index(after: $0) == words.endIndex || words[$0 + 1] != "as")
      }
      if (text.hasPrefix("from ") || text.hasPrefix("import ")) && bound {
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
