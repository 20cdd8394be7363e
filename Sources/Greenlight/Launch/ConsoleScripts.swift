import PythonRuntime

/// The `console_scripts` entry points of an environment's installed distributions, read
/// from their `entry_points.txt` without starting Python (so `--patch target` imports
/// nothing of the service's on greenlight's behalf).
public struct ConsoleScripts: Sendable {
  /// Script name to entry point, in the order found (the first distribution wins, as pip's
  /// last-installed script would shadow nothing it did not write).
  public let scripts: [String: EntryPoint]

  /// Reads every `*.dist-info` and `*.egg-info` folder of `sitePackages`.
  public init(sitePackages: String) {
    var scripts: [String: EntryPoint] = [:]
    for name in FileSystem.contents(of: sitePackages)
    where name.hasSuffix(".dist-info") || name.hasSuffix(".egg-info") {
      guard let text = FileSystem.readText("\(sitePackages)/\(name)/entry_points.txt") else {
        continue
      }
      for (script, entry) in Self.parse(text) where scripts[script] == nil {
        scripts[script] = entry
      }
    }
    self.scripts = scripts
  }

  /// The names of the console scripts of the Python a launch with `--python option` would
  /// use (`$VIRTUAL_ENV`, the nearest `.venv`, ... when nil), sorted; empty when there is
  /// none. Shell completion of `--script` lists them.
  public static func namesInReach(python option: String?) -> [String] {
    guard let installation = Preflight.installationInReach(option) else { return [] }
    return ConsoleScripts(sitePackages: installation.sitePackages).scripts.keys.sorted()
  }

  /// The `[console_scripts]` section of one `entry_points.txt` (INI syntax).
  static func parse(_ text: String) -> [(String, EntryPoint)] {
    var found: [(String, EntryPoint)] = []
    var inSection = false
    for rawLine in text.split(whereSeparator: \.isNewline) {
      let line = rawLine.trimmingWhitespace()
      if line.isEmpty || line.hasPrefix("#") || line.hasPrefix(";") { continue }
      if line.hasPrefix("[") {
        inSection = line == "[console_scripts]"
        continue
      }
      guard inSection else { continue }
      let pair = line.split(separator: "=", maxSplits: 1)
      guard pair.count == 2, let entry = EntryPoint(parsing: String(pair[1])) else { continue }
      found.append((String(pair[0].trimmingWhitespace()), entry))
    }
    return found
  }
}
