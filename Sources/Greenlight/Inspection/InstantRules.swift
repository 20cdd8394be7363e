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
    return try importedBeforePatch(candidates) + latePatch(candidates, parents: parents)
      + nativeThreads()
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

  // GL101: patch targets always; other modules when the service imported them directly.
  // Modules loaded by one import statement of the service are one finding, named after
  // the module that statement imported (`socket`, which also loaded select and selectors).
  private func importedBeforePatch(_ candidates: [(name: String, event: ObservedEvent?)])
    -> [Finding]
  {
    var groups: [(location: SourceLocation?, modules: [(name: String, direct: Bool)])] = []
    for (name, event) in candidates where view.origin(ofModule: name) != .service {
      let isTarget = Self.patchTargets.contains(view.topLevel(name))
      let importer = event?.stack.first
      let direct = importer.map { view.origin(ofFile: $0.file) == .service } ?? false
      guard isTarget || direct else { continue }
      let location = view.location(event.flatMap { view.responsibleFrame($0.stack) })
      if let index = groups.firstIndex(where: { $0.location != nil && $0.location == location }) {
        groups[index].modules.append((name, direct))
      } else {
        groups.append((location, [(name, direct)]))
      }
    }
    return groups.map { location, modules in
      let lead = modules.first { $0.direct }?.name ?? modules[0].name
      let others = modules.map(\.name).filter { $0 != lead }.sorted()
      let targets = modules.filter { Self.patchTargets.contains(view.topLevel($0.name)) }
      let also =
        others.isEmpty ? "" : " (it loaded \(others.joined(separator: ", ")) as well)"
      return Finding(
        .importedBeforePatch, severity: targets.isEmpty ? .warning : .error,
        message: "\(lead) was loaded before eventlet.monkey_patch() ran\(also).",
        subject: lead, location: location)
    }
  }

  // GL104: the service's own modules were imported before its monkey_patch call, or a
  // parent package of the patching module ran code of note first.
  private func latePatch(
    _ candidates: [(name: String, event: ObservedEvent?)], parents: [ParentLoad]
  ) -> [Finding] {
    let own = candidates.map(\.name).filter { view.origin(ofModule: $0) == .service }
    let loads = parents.filter { !own.contains($0.module) }
    guard !own.isEmpty || !loads.isEmpty, inspector.context.mode == .target else { return [] }
    let site = call.stack.first
    var after: [String] = []
    if !own.isEmpty { after.append("the service had imported \(own.joined(separator: ", "))") }
    var packages: [String] = []
    for load in loads where !packages.contains(load.package) { packages.append(load.package) }
    for package in packages {
      let mine = loads.filter { $0.package == package }
      let file = view.file(ofModule: package).map(view.display) ?? package
      after.append(
        "the package \(package) had loaded "
          + mine.map { "\($0.module) (\(file):\($0.line))" }.joined(separator: ", "))
    }
    return [
      Finding(
        .latePatch,
        message: "eventlet.monkey_patch() ran after \(after.joined(separator: "; and after "))"
          + ".",
        subject: site.map { view.moduleName(ofFile: $0.file) ?? view.display($0.file) }
          ?? "monkey_patch",
        location: view.location(site))
    ]
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
