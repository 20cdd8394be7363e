import PythonRuntime

/// GL101, judged at the patch instant: what was loaded before the first monkey_patch call,
/// located at the service's line that started the import and shown with its import chain.
extension InstantRules {
  /// GL101: patch targets always; other modules when the service imported them directly.
  /// Modules loaded by one import statement of the service are one finding, named after
  /// the module that statement imported (`oslo_config`, which also loaded threading and
  /// socket), with the chain of imports that led from that statement to each patch target.
  ///
  /// A group of no patch target whose line is in one of `ownFiles` (the service's modules
  /// that GL104 names, and the patching modules) is left to GL104: its modules come back as
  /// `folded`.
  func importedBeforePatch(
    _ candidates: [(name: String, event: ObservedEvent?)], foldingInto ownFiles: Set<String>
  ) -> (findings: [Finding], folded: [String]) {
    var groups: [(location: SourceLocation?, modules: [LoadedBefore])] = []
    for (name, event) in candidates where view.origin(ofModule: name) != .service {
      let isTarget = Self.patchTargets.contains(view.topLevel(name))
      let importer = event?.stack.first
      let direct = importer.map { view.origin(ofFile: $0.file) == .service } ?? false
      guard isTarget || direct else { continue }
      let frame = event.flatMap { view.responsibleFrame($0.stack) }
      let chain = event.flatMap { event in frame.flatMap { ImportChain(event, from: $0) } }
      let loaded = LoadedBefore(name: name, direct: direct, isTarget: isTarget, chain: chain)
      let location = view.location(frame)
      if let index = groups.firstIndex(where: { $0.location != nil && $0.location == location }) {
        groups[index].modules.append(loaded)
      } else {
        groups.append((location, [loaded]))
      }
    }
    var folded: [String] = []
    let findings = groups.compactMap { location, modules -> Finding? in
      let isError = modules.contains { $0.isTarget }
      if !isError, let file = modules[0].chain?.frames.first?.file, ownFiles.contains(file) {
        folded += modules.map(\.name)
        return nil
      }
      let lead = modules.first { $0.direct }?.name ?? modules[0].name
      // `from oslo_config import cfg` loads oslo_config.cfg too: the lead says it.
      let others = modules.map(\.name).filter { $0 != lead && !$0.hasPrefix(lead + ".") }
        .sorted()
      let also =
        others.isEmpty ? "" : " (it loaded \(others.joined(separator: ", ")) as well)"
      return Finding(
        .importedBeforePatch, severity: isError ? .error : .warning,
        message: "\(lead) was loaded before eventlet.monkey_patch() ran\(also)."
          + chains(modules),
        subject: lead, location: location, fix: serviceFix)
    }
    return (findings, folded)
  }

  /// GL101's fix when the service patched itself: its own call is the line to move
  /// before; the rule's default speaks of greenlight patching first.
  private var serviceFix: String? {
    guard !call.isGreenlight, let site = view.location(call.stack.first) else { return nil }
    return "Import nothing that loads these before the service's own patch"
      + " (eventlet.\(call.spelled) at \(site.description)); a service that always runs on"
      + " eventlet can instead be patched first by greenlight (--patch first)."
  }

  /// A module GL101 reports, and how it came to be loaded.
  private struct LoadedBefore {
    let name: String
    /// The service's own statement imported it.
    let direct: Bool
    let isTarget: Bool
    let chain: ImportChain?
  }

  /// ` Imported through a.py:1 → b.py:2 → threading; a.py:1 → c.py:3 → socket.`: the chains
  /// that reach a patch target through a library's imports, one for each library line they
  /// pass last, the shortest (`from socket import` loads selectors and select too: the chain
  /// shown ends in socket).
  private func chains(_ modules: [LoadedBefore]) -> String {
    var lines: [StackFrame] = []
    var shortest: [StackFrame: ImportChain] = [:]
    for module in modules where module.isTarget {
      guard let chain = module.chain, chain.isIndirect,
        let line = chain.frames.last(where: { view.origin(ofFile: $0.file) != .standardLibrary })
      else { continue }
      if let known = shortest[line] {
        if chain.frames.count < known.frames.count { shortest[line] = chain }
      } else {
        lines.append(line)
        shortest[line] = chain
      }
    }
    guard !lines.isEmpty else { return "" }
    return " Imported through "
      + lines.compactMap { shortest[$0]?.description(view.short) }.joined(separator: "; ") + "."
  }
}
