import ArgumentParser
import Greenlight

#if canImport(Glibc)
  import Glibc
#endif

/// Shell completion of `--script`: the console scripts of the Python the command line in
/// progress would run, read from its `entry_points.txt` files without starting Python.
enum ScriptCompletion {
  static let kind = CompletionKind.custom { words, _, _ in
    ConsoleScripts.namesInReach(python: pythonOption(in: words))
  }

  /// The value of `--python` among the shell words typed so far (`--python X` or
  /// `--python=X`), without the quotes a shell word may keep.
  static func pythonOption(in words: [String]) -> String? {
    var found: String?
    for (index, word) in words.enumerated() {
      if word == "--python", index + 1 < words.count {
        found = words[index + 1]
      } else if word.hasPrefix("--python=") {
        found = String(word.dropFirst("--python=".count))
      }
    }
    return found.map(unquoted).flatMap { $0.isEmpty ? nil : $0 }
  }

  private static func unquoted(_ word: String) -> String {
    var text = Substring(word)
    for quote: Character in ["'", "\""] where text.count >= 2 && text.first == quote {
      if text.last == quote { text = text.dropFirst().dropLast() }
    }
    return String(text).replacingTildePrefix()
  }
}

extension String {
  /// `~/x` as the shell would expand it, from `$HOME`.
  fileprivate func replacingTildePrefix() -> String {
    guard hasPrefix("~/"), let home = getenv("HOME") else { return self }
    return String(cString: home) + dropFirst()
  }
}
