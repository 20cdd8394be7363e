import PythonRuntime

#if canImport(Glibc)
  import Glibc
#endif

/// The preflight phase: everything decided before the interpreter exists.
enum Preflight {
  /// The Python to run: `--python`, else `$VIRTUAL_ENV`, else the nearest `.venv` from the
  /// working directory up, else the Python greenlight was built against. Refuses a
  /// major.minor other than the linked libpython.
  /// `origin` names where `option` came from in messages.
  static func installation(
    _ option: String?, origin optionOrigin: String = "--python"
  ) throws(LaunchError) -> PythonInstallation {
    var (path, origin, badPathStatus) = choose(option)
    if option != nil { origin = optionOrigin }
    let installation: PythonInstallation
    do {
      installation = try PythonInstallation.resolve(path)
      try installation.requireCompatible(given: path)
    } catch {
      switch error {
      case .notAPython(_, let reason):
        throw LaunchError(
          .preflight, status: badPathStatus,
          "\(origin) \(path) is not a usable Python interpreter or virtual environment:"
            + " \(reason).")
      case .versionMismatch(_, let found, let linked):
        throw LaunchError(
          .preflight, status: ExitStatus.unavailable,
          "\(origin) \(path) is Python \(found), but greenlight is built against Python"
            + " \(linked); use a virtual environment made with python\(linked) -m venv.")
      case .buildMismatch(_, let found, let linked):
        let version = PythonVersion.linked
        throw LaunchError(
          .preflight, status: ExitStatus.unavailable,
          "\(origin) \(path) is \(found.describe(fallback: version)), but greenlight is built"
            + " against \(linked.describe(fallback: version)); make the venv with"
            + " \(linked.prefix ?? "/usr")/bin/python\(version) -m venv.")
      }
    }
    return installation
  }

  /// The installation a launch with `option` would use, or nil when it cannot be resolved:
  /// read from files only, never refused for its version (shell completion asks this).
  static func installationInReach(_ option: String?) -> PythonInstallation? {
    try? PythonInstallation.resolve(choose(option).0)
  }

  /// Where the interpreter comes from, how to name that origin in a message, and the exit
  /// status for a path that is not a Python (a usage error only when the user typed it).
  private static func choose(_ option: String?) -> (String, String, Int32) {
    if let option { return (option, "--python", ExitStatus.usage) }
    if let virtualEnv = environment("VIRTUAL_ENV"), !virtualEnv.isEmpty {
      return (virtualEnv, "VIRTUAL_ENV", ExitStatus.unavailable)
    }
    // The nearest .venv from the working directory up: the project's, also when run from
    // one of its folders.
    var folder = FileSystem.currentDirectory()
    while true {
      if FileSystem.exists(folder + "/.venv/pyvenv.cfg") {
        return (folder + "/.venv", "the virtual environment", ExitStatus.unavailable)
      }
      if folder == "/" { break }
      folder = FileSystem.parent(folder)
    }
    let linked = PythonVersion.linked
    let candidates = ["/usr/bin/python\(linked)", "/usr/local/bin/python\(linked)"]
    let base = candidates.first(where: FileSystem.isExecutableFile) ?? candidates[0]
    return (base, "the built-against Python", ExitStatus.unavailable)
  }

  /// What the interpreter will run, with `--script` looked up in the environment.
  static func handOff(
    _ request: LaunchRequest, installation: PythonInstallation
  ) throws(LaunchError) -> HandOff {
    switch request.target {
    case .script(let name):
      let scripts = ConsoleScripts(sitePackages: installation.sitePackages)
      guard let entry = scripts.scripts[name] else {
        let known = scripts.scripts.keys.sorted().prefix(12).joined(separator: ", ")
        throw LaunchError(
          .preflight, status: ExitStatus.usage,
          "no console script named \(name) is installed in \(installation.sitePackages)"
            + (known.isEmpty ? "." : " (installed: \(known))."))
      }
      let wrapper = FileSystem.parent(installation.executable) + "/" + name
      return HandOff(
        target: request.target, scriptPath: FileSystem.exists(wrapper) ? wrapper : name,
        entry: entry, arguments: request.serviceArguments)
    case .entry(let entry):
      return HandOff(
        target: request.target, scriptPath: nil, entry: entry,
        arguments: request.serviceArguments)
    default:
      return HandOff(
        target: request.target, scriptPath: nil, entry: nil,
        arguments: request.serviceArguments)
    }
  }

  private static func environment(_ name: String) -> String? {
    getenv(name).map { String(cString: $0) }
  }
}
