import PythonRuntime

/// GL107 for a stand-in for sleep: `time.sleep` was a function of someone's own when the
/// patch replaced it (os_brick's `utils._sleep`, when os_brick is imported before the
/// patch), and modules still hold that function. It is one cause, so one finding at the
/// function's line listing who holds it, judged by calling it (``SleepProbe``): a stand-in
/// that waits through the hub is info, one that blocks is an error.
struct StaleWrapper {
  /// What it was before the patch: `time.sleep`.
  let original: String
  let value: PythonObject
  let origin: FunctionOrigin
  /// Who still holds it, with the line each binds it on.
  var holders: [(subject: String, location: SourceLocation?)] = []

  /// Nil unless `original` is judged by behaviour and `value` is a Python function.
  init?(original: String, value: PythonObject) {
    guard SleepProbe.judged.contains(original), let origin = FunctionOrigin(value) else {
      return nil
    }
    self.original = original
    self.value = value
    self.origin = origin
  }

  func finding(_ verdict: SleepProbe.Verdict, view: ProcessView) -> Finding {
    let location = SourceLocation(file: view.display(origin.file), line: origin.line)
    let shown = holders.prefix(6).map { holder in
      // The function's own global is bound where it is defined: the finding's line.
      guard holder.subject != origin.name, let place = holder.location, place != location
      else { return holder.subject }
      return "\(holder.subject) (\(place.description))"
    }
    let held = shown.joined(separator: ", ") + (holders.count > 6 ? ", ..." : "")
    let was = "\(original) was \(origin.name) when eventlet patched, not the native sleep,"
    let subject = holders.map(\.subject).joined(separator: ", ")
    let module = origin.name.split(separator: ".").dropLast().joined(separator: ".")
    let fix =
      "Patch before \(module.isEmpty ? "it" : module) is imported, or make \(origin.name) call"
      + " time.sleep through its module at call time (import time)."
    switch verdict {
    case .cooperative:
      return Finding(
        .staleOriginal, severity: .info,
        message: "\(was) and it waits cooperatively: called once with a short duration, it"
          + " let the hub run. Held by \(held).",
        subject: subject, location: location,
        fix: "Nothing to change while \(origin.name) waits through eventlet's hub.")
    case .blocking:
      return Finding(
        .staleOriginal,
        message: "\(was) and it blocks: called once with a short duration, it did not let the"
          + " hub run. Held by \(held): a call through \(holders.count == 1 ? "it" : "any of them") stalls"
          + " every green thread.",
        subject: subject, location: location, fix: fix)
    case .unknown:
      return Finding(
        .staleOriginal,
        message: "\(was) and calling it once with a short duration did not show whether it"
          + " waits cooperatively (it raised, or did not return within 5 seconds). Held by"
          + " \(held).",
        subject: subject, location: location, fix: fix)
    }
  }
}
