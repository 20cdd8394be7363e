import PythonRuntime

/// GL104, judged at the patch instant: the service patched after it had run code of its own.
extension InstantRules {
  /// GL104: the service's `own` modules were imported before its monkey_patch call (with
  /// `loaded`, what the service's imports loaded besides patch targets), or a parent package
  /// of the patching module ran code of note first. One cause, one finding, listing its
  /// instances.
  func latePatch(own: [String], loaded: [String], parents: [ParentLoad]) -> [Finding] {
    let loads = parents.filter { !own.contains($0.module) }
    guard !own.isEmpty || !loads.isEmpty, inspector.context.mode == .target else { return [] }
    let site = call.stack.first
    var after: [String] = []
    if !own.isEmpty {
      let count = own.count == 1 ? "its module" : "\(own.count) of its modules:"
      let also =
        loaded.isEmpty
        ? ""
        : " (the service's imports loaded \(loaded.sorted().joined(separator: ", ")) as well)"
      after.append("the service had imported \(count) \(own.joined(separator: ", "))\(also)")
    }
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
}
