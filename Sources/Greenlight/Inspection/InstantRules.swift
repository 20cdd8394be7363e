import PythonRuntime

/// The rules judged at the instant the first monkey_patch call runs: what was already
/// loaded (GL101), which threads already ran (GL102), and whether the service patched late
/// (GL104) or a library patched on import (GL105).
struct InstantRules {
  let inspector: Inspector
  let call: PatchCall
  var view: ProcessView { inspector.view }

  /// The modules eventlet replaces attributes of: loaded before patching they are errors.
  static let patchTargets: Set<String> = [
    "socket", "ssl", "select", "selectors", "threading", "_thread", "queue", "time", "os",
    "subprocess",
  ]

  init(inspector: Inspector, call: PatchCall) {
    self.inspector = inspector
    self.call = call
  }

  func judge() throws(PythonError) -> [Finding] {
    // greenlight's own patch runs right after start-up, while it imports eventlet: nothing
    // of the service's can have been loaded yet, so only threads are worth a look.
    guard !call.isGreenlight else { return try nativeThreads() }
    let loaded = try view.moduleNames()
    let imports = firstImports(before: call.event.index)
    // The modules running the call and their parent packages are the canonical layout, not
    // findings; what those parents loaded themselves is judged below (GL104).
    let running = patchingModules()
    let exempt = running.reduce(into: Set<String>()) { $0.formUnion(view.selfAndParents($1)) }
    var candidates: [(name: String, event: ObservedEvent?)] = []
    for name in loaded where !inspector.startupModules.contains(name) && name != "__main__" {
      let event = imports[name]
      guard !exempt.contains(name), !inspector.context.isAllowedPreImport(name),
        !isEventletOwn(name, event)
      else { continue }
      candidates.append((name, event))
    }
    let parents = parentLoads(exempt.subtracting(running), exempt: exempt, imports: imports)
    // In target mode the service's own modules imported before its call are GL104's; what
    // the service's imports (theirs, and the patching modules') loaded that is no patch
    // target is part of that one cause.
    let own =
      inspector.context.mode == .target
      ? candidates.map(\.name).filter { view.origin(ofModule: $0) == .service } : []
    let folding = own.isEmpty ? [] : own + running.filter { view.origin(ofModule: $0) == .service }
    let early = importedBeforePatch(
      candidates, foldingInto: Set(folding.compactMap { view.file(ofModule: $0) }))
    return early.findings + latePatch(own: own, loaded: early.folded, parents: parents)
      + (try nativeThreads())
  }

  /// The first import event of each module before `index`.
  private func firstImports(before index: Int) -> [String: ObservedEvent] {
    var events: [String: ObservedEvent] = [:]
    for event in EventLog.events(.importModule, before: index) {
      if events[event.name] == nil { events[event.name] = event }
    }
    return events
  }

  /// eventlet's own imports, and greenlight's (which have no Python caller).
  private func isEventletOwn(_ name: String, _ event: ObservedEvent?) -> Bool {
    if view.origin(ofModule: name) == .eventlet { return true }
    guard let event else { return false }
    return event.stack.isEmpty || event.stack.contains { view.origin(ofFile: $0.file) == .eventlet }
  }

  // GL102: threads other than the main one, alive when patching ran.
  private func nativeThreads() throws(PythonError) -> [Finding] {
    guard let threading = view.module("threading") else { return [] }
    let main = try threading.attribute("main_thread").call()
    let starts = EventLog.events(.thread, before: call.event.index)
    return try threading.attribute("enumerate").call().elements().compactMap { thread in
      guard !thread.isIdentical(to: main) else { return nil }
      let name = thread.attributeIfPresent("name")?.stringValue ?? "?"
      let ident = thread.attributeIfPresent("ident")?.integerValue.map {
        UInt(truncatingIfNeeded: $0)
      }
      let start = starts.last { $0.thread == ident }
      let frame = start.flatMap { event in
        view.responsibleFrame(event.stack.filter { !$0.file.hasSuffix("/threading.py") })
      }
      return Finding(
        .nativeThreadBeforePatch,
        message: "The native thread \(name) was running when eventlet.monkey_patch() ran;"
          + " it is invisible to green code and raises KeyError at exit.",
        subject: name, location: view.location(frame))
    }
  }
}
