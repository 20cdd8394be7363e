import CPythonShims

/// A Python major.minor version, the part that must match between a venv and libpython.
public struct PythonVersion: Equatable, Sendable, CustomStringConvertible {
  public let major: Int
  public let minor: Int

  public init(major: Int, minor: Int) {
    self.major = major
    self.minor = minor
  }

  /// Reads the leading `X.Y` of text such as `3.11.2` or `3.11.2 (main, ...)`.
  public init?(parsing text: some StringProtocol) {
    let numbers = text.prefix { $0.isNumber || $0 == "." }.split(separator: ".")
    guard numbers.count >= 2, let major = Int(numbers[0]), let minor = Int(numbers[1]) else {
      return nil
    }
    self.init(major: major, minor: minor)
  }

  public var description: String { "\(major).\(minor)" }

  /// The version of the libpython this executable is linked against.
  public static var linked: PythonVersion {
    // Py_GetVersion is a static string and always starts with "X.Y.".
    PythonVersion(parsing: String(cString: gl_linked_version()))!
  }
}

/// Why a `--python` path cannot be used.
public enum InstallationError: Error, Equatable, Sendable {
  /// The path is not a Python interpreter or virtual environment.
  case notAPython(path: String, reason: String)
  /// A Python of another major.minor than the linked libpython.
  case versionMismatch(path: String, found: PythonVersion, linked: PythonVersion)
  /// A Python of the linked major.minor but another build (another full version or prefix).
  case buildMismatch(path: String, found: PythonBuild, linked: PythonBuild)
}

/// The Python environment a service runs in: a venv (selected through
/// `PyConfig.executable = <venv>/bin/python`) or a base interpreter.
public struct PythonInstallation: Equatable, Sendable {
  /// Absolute path of the interpreter, symlinks kept: it becomes `sys.executable`.
  public let executable: String
  /// The venv's folder, or nil for a base interpreter.
  public let environmentRoot: String?
  /// The interpreter's major.minor.
  public let version: PythonVersion
  /// The interpreter's build (the venv's base interpreter for a venv).
  public let build: PythonBuild

  /// The folder that holds the environment's installed distributions.
  public var sitePackages: String {
    let prefix = environmentRoot ?? FileSystem.parent(FileSystem.parent(executable))
    return "\(prefix)/lib/python\(version)/site-packages"
  }

  /// What `pip install` should be run with to add packages to this environment.
  public var installCommand: String { "\(executable) -m pip install" }

  /// Resolves a venv folder, a venv's `bin/python` or a base interpreter.
  public static func resolve(_ path: String) throws(InstallationError) -> PythonInstallation {
    let absolute = FileSystem.absolute(path)
    guard FileSystem.exists(absolute) else {
      throw .notAPython(path: path, reason: "it does not exist")
    }
    if FileSystem.isDirectory(absolute) {
      guard FileSystem.exists(absolute + "/pyvenv.cfg") else {
        throw .notAPython(
          path: path, reason: "it is a folder without pyvenv.cfg, so not a virtual environment")
      }
      let candidates = ["python", "python3"].map { "\(absolute)/bin/\($0)" }
      guard let executable = candidates.first(where: FileSystem.isExecutableFile) else {
        throw .notAPython(path: path, reason: "the virtual environment has no bin/python")
      }
      return try environment(root: absolute, executable: executable, given: path)
    }
    guard FileSystem.isExecutableFile(absolute) else {
      throw .notAPython(path: path, reason: "it is not an executable file")
    }
    let root = FileSystem.parent(FileSystem.parent(absolute))
    if FileSystem.exists(root + "/pyvenv.cfg") {
      return try environment(root: root, executable: absolute, given: path)
    }
    // A base interpreter: its real file is named pythonX.Y.
    let real = FileSystem.realPath(absolute) ?? absolute
    let realName = FileSystem.baseName(real)
    guard realName.hasPrefix("python"), let version = PythonVersion(parsing: realName.dropFirst(6))
    else {
      throw .notAPython(path: path, reason: "it is not a Python interpreter")
    }
    return PythonInstallation(
      executable: absolute, environmentRoot: nil, version: version,
      build: .ofInterpreter(realPath: real, version: version))
  }

  /// Refuses an installation whose major.minor differs from the linked libpython, or whose
  /// build does (another full version or prefix).
  public func requireCompatible(
    with linked: PythonVersion = .linked, build linkedBuild: PythonBuild = .linked,
    given path: String
  ) throws(InstallationError) {
    guard version == linked else {
      throw .versionMismatch(path: path, found: version, linked: linked)
    }
    guard build.matches(linkedBuild) else {
      throw .buildMismatch(path: path, found: build, linked: linkedBuild)
    }
  }

  private static func environment(
    root: String, executable: String, given path: String
  ) throws(InstallationError) -> PythonInstallation {
    let values = PythonBuild.keyValues(FileSystem.readText(root + "/pyvenv.cfg") ?? "")
    guard let version = venvVersion(values) else {
      throw .notAPython(path: path, reason: "its pyvenv.cfg names no Python version")
    }
    return PythonInstallation(
      executable: executable, environmentRoot: root, version: version,
      build: .ofEnvironment(values))
  }

  /// The `version` (or `version_info`) key of a pyvenv.cfg.
  static func venvVersion(_ configuration: String) -> PythonVersion? {
    venvVersion(PythonBuild.keyValues(configuration))
  }

  static func venvVersion(_ values: PythonBuild.KeyValues) -> PythonVersion? {
    (values["version"] ?? values["version_info"]).flatMap { PythonVersion(parsing: $0) }
  }
}

extension StringProtocol {
  /// The text without leading and trailing whitespace.
  public func trimmingWhitespace() -> SubSequence {
    let start = firstIndex { !$0.isWhitespace } ?? endIndex
    let end = lastIndex { !$0.isWhitespace }.map { index(after: $0) } ?? start
    return self[start..<Swift.max(start, end)]
  }
}
