import PythonRuntime

/// GL106: each attribute eventlet lists in a green module's `__patched__` must be that green
/// object in the live module. Where it is a function of someone's own instead, the finding
/// is at that function's line, and a stand-in for sleep is judged by calling it
/// (``SleepProbe``): cooperative is info, blocking is an error. One object seen under
/// several names is one finding.
struct IncompletePatch {
  let inspector: Inspector
  private var view: ProcessView { inspector.view }

  /// Attributes that are not green, under one cause: the object they all are now.
  private struct Miss {
    var names: [String]
    let flag: String
    let actual: PythonObject?
    let origin: FunctionOrigin?
  }

  func judge(_ first: PatchCall) throws(PythonError) -> [Finding] {
    try misses().map { miss in finding(miss, patchedAt: view.location(first.stack.first)) }
  }

  private func misses() throws(PythonError) -> [Miss] {
    let patcher = try PythonObject.importModule("eventlet.patcher")
    var requested: Set<String> = []
    for call in inspector.calls {
      for (name, on) in call.effective where on { requested.insert(name) }
    }
    var misses: [Miss] = []
    for flag in ["os", "select", "socket", "thread", "time", "subprocess"]
    where requested.contains(flag) {
      for pair in try patcher.attribute("_green_\(flag)_modules").call().elements() {
        let items = try pair.elements()
        guard items.count == 2, let module = items[0].stringValue, let live = view.module(module)
        else { continue }
        let green = items[1]
        for attribute in try (green.attributeIfPresent("__patched__")?.elements() ?? []) {
          guard let key = attribute.stringValue, let expected = green.attributeIfPresent(key)
          else { continue }
          let actual = live.attributeIfPresent(key)
          if let actual, actual.isIdentical(to: expected) { continue }
          let name = "\(module).\(key)"
          let origin = actual.flatMap(FunctionOrigin.init)
          if origin != nil, let actual,
            let index = misses.firstIndex(where: { $0.actual?.isIdentical(to: actual) == true })
          {
            misses[index].names.append(name)
          } else {
            misses.append(Miss(names: [name], flag: flag, actual: actual, origin: origin))
          }
        }
      }
    }
    return misses
  }

  private func finding(_ miss: Miss, patchedAt: SourceLocation?) -> Finding {
    let names = miss.names.joined(separator: ", ")
    let subject = names
    guard let origin = miss.origin, let actual = miss.actual else {
      return Finding(
        .patchIncomplete,
        message: "\(names) is not eventlet's green object although \(miss.flag) was patched"
          + " (the module was reloaded or the attribute reassigned).",
        subject: subject, location: patchedAt)
    }
    let location = SourceLocation(file: view.display(origin.file), line: origin.line)
    let verb = miss.names.count == 1 ? "is" : "are"
    let replaced = "\(names) \(verb) \(origin.name), not eventlet's green object,"
    guard miss.names.allSatisfy(SleepProbe.judged.contains) else {
      return Finding(
        .patchIncomplete,
        message: "\(replaced) although \(miss.flag) was patched (judged by identity: greenlight"
          + " calls only stand-ins for sleep to see what they do).",
        subject: subject, location: location,
        fix: "Leave \(names) as eventlet patched \(miss.names.count == 1 ? "it" : "them"), or"
          + " make \(origin.name) call eventlet's green function.")
    }
    switch inspector.sleepProbe.verdict(of: actual) {
    case .cooperative:
      return Finding(
        .patchIncomplete, severity: .info,
        message: "\(replaced) but it waits cooperatively: called once with a short duration,"
          + " it let the hub run.",
        subject: subject, location: location,
        fix: "Nothing to change while \(origin.name) waits through eventlet's hub.")
    case .blocking:
      return Finding(
        .patchIncomplete,
        message: "\(replaced) and it blocks: called once with a short duration, it did not let"
          + " the hub run, so every green thread stalls while it waits.",
        subject: subject, location: location, fix: sleepFix(origin))
    case .unknown:
      return Finding(
        .patchIncomplete,
        message: "\(replaced) and calling it once with a short duration did not show whether it"
          + " waits cooperatively (it raised, or did not return within 5 seconds).",
        subject: subject, location: location, fix: sleepFix(origin))
    }
  }

  private func sleepFix(_ origin: FunctionOrigin) -> String {
    "Make \(origin.name) wait through eventlet (eventlet.sleep, or time.sleep looked up at call"
      + " time after the patch), not through a sleep taken before it."
  }
}
