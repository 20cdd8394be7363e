import CPythonShims

/// One build of CPython: its full version and the prefix it is installed at. Two builds of
/// one major.minor are not interchangeable: the linked 3.11.2 core fails on another 3.11's
/// standard library and extensions (`undefined symbol: _PyModule_Add` from pyenv's 3.11.7
/// `_ssl`). Each part is nil when it cannot be read cheaply; only known parts are compared.
public struct PythonBuild: Equatable, Sendable {
  /// The full version, such as `3.11.2`.
  public let version: String?
  /// The installation prefix, symlinks resolved (`/usr`).
  public let prefix: String?

  public init(version: String?, prefix: String?) {
    self.version = version
    self.prefix = prefix
  }

  /// The build this executable links: the version from `Py_GetVersion()` (up to the first
  /// space) and the prefix greenlight was compiled for (`gl_linked_prefix`).
  public static var linked: PythonBuild {
    let version = String(cString: gl_linked_version()).prefix { $0 != " " }
    let prefix = String(cString: gl_linked_prefix())
    return PythonBuild(version: String(version), prefix: FileSystem.realPath(prefix) ?? prefix)
  }

  /// Whether the two may be the same build: every part known on both sides is equal.
  public func matches(_ other: PythonBuild) -> Bool {
    if let version, let theirs = other.version, version != theirs { return false }
    if let prefix, let theirs = other.prefix, prefix != theirs { return false }
    return true
  }

  /// `CPython 3.11.7 at /root/.pyenv/versions/3.11.7`, with what is known.
  public func describe(fallback version: PythonVersion) -> String {
    "CPython \(self.version ?? version.description)" + (prefix.map { " at \($0)" } ?? "")
  }

  /// A venv's base build, from its pyvenv.cfg: `version` (or `version_info`, as virtualenv
  /// writes it), and the parent of `home` (the base interpreter's folder), resolved.
  static func ofEnvironment(configuration: String) -> PythonBuild {
    ofEnvironment(keyValues(configuration))
  }

  /// The same from a pyvenv.cfg already read by ``keyValues(_:)``.
  static func ofEnvironment(_ values: KeyValues) -> PythonBuild {
    let version = (values["version"] ?? values["version_info"]).flatMap(fullVersion)
    let prefix = values["home"].map { home in FileSystem.parent(FileSystem.realPath(home) ?? home) }
    return PythonBuild(version: version, prefix: prefix)
  }

  /// A base interpreter's build, without running it: the prefix is the folder above its
  /// real file's `bin`, the version the `PY_VERSION` of the prefix's `patchlevel.h` when the
  /// headers are installed.
  static func ofInterpreter(realPath: String, version: PythonVersion) -> PythonBuild {
    let prefix = FileSystem.parent(FileSystem.parent(realPath))
    let header = FileSystem.readText("\(prefix)/include/python\(version)/patchlevel.h")
    return PythonBuild(version: header.flatMap(patchLevelVersion), prefix: prefix)
  }

  /// `3.11.7` from `3.11.7`, `3.11.7.final.0` or `3.11.7+`; nil without three numbers.
  static func fullVersion(_ text: some StringProtocol) -> String? {
    let numbers = text.trimmingWhitespace().split(separator: ".", maxSplits: 3)
      .prefix(3).map { $0.prefix { $0.isNumber } }
    guard numbers.count == 3, numbers.allSatisfy({ !$0.isEmpty }) else { return nil }
    // Interpolated, not `joined`: its unspecialised generic costs a start 190k instructions.
    return "\(numbers[0]).\(numbers[1]).\(numbers[2])"
  }

  /// The version in a `patchlevel.h`: `#define PY_VERSION "3.11.7"`.
  static func patchLevelVersion(_ header: String) -> String? {
    for line in header.split(whereSeparator: \.isNewline) {
      let words = line.split(whereSeparator: \.isWhitespace)
      if words.count >= 3, words[0] == "#define", words[1] == "PY_VERSION" {
        return fullVersion(words[2].filter { $0 != "\"" })
      }
    }
    return nil
  }

  /// The `key = value` lines of a pyvenv.cfg, keys and values trimmed of ASCII whitespace.
  /// Read by bytes, into pairs rather than a `Dictionary`: Character-wise splitting and the
  /// first use of a hashed collection each cost every start about 250k instructions
  /// (docs/embedding-notes.md, "Giving the launch's costs back").
  static func keyValues(_ configuration: String) -> KeyValues {
    var values = KeyValues()
    let bytes = configuration.utf8
    for line in bytes.split(whereSeparator: { $0 == 0x0A || $0 == 0x0D }) {
      guard let equals = line.firstIndex(of: UInt8(ascii: "=")) else { continue }
      let key = trimmed(line[..<equals])
      let value = trimmed(line[line.index(after: equals)...])
      values.pairs.append(
        (String(decoding: key, as: UTF8.self), String(decoding: value, as: UTF8.self)))
    }
    return values
  }

  /// A pyvenv.cfg's pairs in file order.
  struct KeyValues {
    var pairs: [(key: String, value: String)] = []

    /// The value of `key`; a key given twice has its last value, as `site` reads it.
    subscript(_ key: String) -> String? { pairs.last { $0.key == key }?.value }
  }

  /// `bytes` without leading and trailing spaces, tabs, vertical tabs and form feeds.
  private static func trimmed(_ bytes: Substring.UTF8View) -> Substring.UTF8View {
    let isSpace = { (byte: UInt8) in byte == 0x20 || (0x09...0x0C).contains(byte) }
    guard let first = bytes.firstIndex(where: { !isSpace($0) }),
      let last = bytes.lastIndex(where: { !isSpace($0) })
    else { return bytes[bytes.endIndex...] }
    return bytes[first...last]
  }
}
