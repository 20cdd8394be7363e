import PythonRuntime

/// What the service's own source says about its concurrency, read as text before any of it
/// runs: whether its code patches (or chooses a concurrency backend) itself, and whether it
/// imports eventlet at all. `--patch auto` decides by it; the rules use it to tell a service
/// that patches later, after what was judged, from one that never patches.
struct ServiceSource: Equatable, Sendable {
  /// The first line of the service's code where it decides at run time: a `monkey_patch`
  /// call inside a function or under a condition, a project's own wrapper of it (nova's
  /// `monkey_patch.patch(...)`, swift's `utils.monkey_patch()`), or a backend choice
  /// (`oslo_service.backend.init_backend`). As read, with the path as found.
  var decidingSite: SourceLocation?
  /// The first unconditional `eventlet.monkey_patch(...)` at a module's top level: the
  /// service always runs on eventlet.
  var unconditionalPatch: SourceLocation?
  /// The first line that imports eventlet.
  var eventletImport: SourceLocation?
  /// The files read; a bound keeps a mistaken root (a home folder) cheap.
  var filesRead = 0

  /// At most this many files are read.
  static let fileLimit = 20_000
  /// Folders never read: caches, version control, virtual environments' insides.
  private static let skippedFolders: Set<String> = [
    "__pycache__", "node_modules", "site-packages", "dist-packages", ".git", ".tox",
  ]
  /// Folders of a project's tests: left out when the service runs (its tests' patch calls
  /// never run then), read when the suite runs (`greenlight test`).
  private static let testFolders: Set<String> = ["tests", "test", "testing"]

  /// Reads `roots`: package folders (read whole) and source files. With `includingTests`
  /// false, folders named `tests` or `test` inside a package are left out. With `code`, the
  /// code run by `-c` is read first, under its name.
  static func read(
    _ roots: [String], includingTests: Bool, after code: (text: String, name: String)? = nil
  ) -> ServiceSource {
    var source = ServiceSource()
    if let code {
      source.filesRead = 1
      source.scan(code.text, file: code.name)
    }
    var seen: Set<String> = []
    // A root that is an environment's library folder is not the project's code.
    for root in roots where !Self.skippedFolders.contains(FileSystem.baseName(root)) {
      source.visit(root, includingTests: includingTests, seen: &seen)
    }
    return source
  }

  /// Reads the files the service runs: `files` (the entry module, or the script) and every
  /// module of the service they import, transitively, found in `packages` (a top-level
  /// name's folders) or in `folders` (a script's own folder, `sys.path[0]`). Only the code
  /// that can run is read: a command-line tool of the same project that patches does not
  /// make the service patch.
  static func follow(
    _ files: [String], packages: [String: [String]], folders: [String] = []
  ) -> ServiceSource {
    var source = ServiceSource()
    var queue = files
    var seen: Set<String> = []
    while !queue.isEmpty, !source.isSettled, source.filesRead < Self.fileLimit {
      let file = queue.removeFirst()
      guard seen.insert(file).inserted, let text = FileSystem.readText(file) else { continue }
      source.filesRead += 1
      source.scan(text, file: file)
      for name in Self.imports(in: text, file: file, packages: packages) {
        queue += Self.files(of: name, packages: packages, folders: folders).filter {
          !seen.contains($0)
        }
      }
    }
    return source
  }

  /// The files that run when `name` is imported: each package's `__init__.py` on the way,
  /// then the module's own file. A top-level name's entry in `packages` is its folders, or
  /// the file of a single-file module.
  static func files(of name: String, packages: [String: [String]], folders: [String])
    -> [String]
  {
    let parts = name.split(separator: ".").map(String.init)
    guard let top = parts.first else { return [] }
    var result: [String] = []
    for base in packages[top] ?? folders.map({ $0 + "/" + top }) {
      if base.hasSuffix(".py") {
        result.append(base)
        continue
      }
      var path = base
      for (index, part) in parts.enumerated() {
        if index > 0 { path += "/" + part }
        if FileSystem.exists(path + "/__init__.py") {
          result.append(path + "/__init__.py")
        } else if FileSystem.exists(path + ".py") {
          result.append(path + ".py")
          break
        } else {
          break
        }
      }
    }
    return result
  }

  /// The absolute module names a file imports (relative imports resolved against the
  /// package the file is in, when it lies under one of `packages`' folders).
  static func imports(in text: String, file: String, packages: [String: [String]]) -> [String] {
    guard text.contains("import") else { return [] }
    var names: [String] = []
    let package = Self.package(ofFile: file, packages: packages)
    for raw in text.split(separator: "\n") {
      let line = raw.drop { $0 == " " || $0 == "\t" }
      guard line.hasPrefix("import ") || line.hasPrefix("from ") else { continue }
      let code = line.prefix { $0 != "#" }
      for statement in code.split(separator: ";") {
        let words = statement.split(whereSeparator: { " \t,()".contains($0) })
        guard let first = words.first else { continue }
        if first == "import" {
          var skip = false
          for word in words.dropFirst() {
            if skip {
              skip = false
            } else if word == "as" {
              skip = true
            } else {
              names.append(String(word))
            }
          }
        } else if first == "from", words.count >= 4, words[2] == "import" {
          var base = String(words[1])
          if base.hasPrefix(".") {
            guard let package else { continue }
            let dots = base.prefix { $0 == "." }.count
            var parts = package.split(separator: ".").map(String.init)
            guard dots - 1 < parts.count else { continue }
            parts.removeLast(dots - 1)
            let rest = base.dropFirst(dots)
            base = (parts + (rest.isEmpty ? [] : [String(rest)])).joined(separator: ".")
          }
          names.append(base)
          var skip = false
          for word in words.dropFirst(3) {
            if skip {
              skip = false
            } else if word == "as" {
              skip = true
            } else if word != "*" {
              names.append(base + "." + word)
            }
          }
        }
      }
    }
    return names
  }

  /// The package a file belongs to (`nova.cmd` for `.../nova/cmd/compute.py`), when it lies
  /// under one of `packages`' folders.
  private static func package(ofFile file: String, packages: [String: [String]]) -> String? {
    for (name, folders) in packages {
      for folder in folders where file.hasPrefix(folder + "/") {
        // The file's folder is its package, for a module and for an __init__.py alike.
        let inside = file.dropFirst(folder.count + 1).split(separator: "/").dropLast()
        return ([name] + inside.map(String.init)).joined(separator: ".")
      }
    }
    return nil
  }

  /// Reads code given as text (`-c`), under the name `name`.
  static func read(code: String, named name: String) -> ServiceSource {
    var source = ServiceSource(filesRead: 1)
    source.scan(code, file: name)
    return source
  }

  /// The first line that patches, of either kind.
  var patchSite: SourceLocation? { decidingSite ?? unconditionalPatch }

  /// Whether a deciding line and an eventlet import are found, so that nothing more
  /// needs reading.
  private var isSettled: Bool { decidingSite != nil && eventletImport != nil }

  private mutating func visit(_ path: String, includingTests: Bool, seen: inout Set<String>) {
    guard !isSettled, filesRead < Self.fileLimit, seen.insert(path).inserted else { return }
    if FileSystem.isDirectory(path) {
      guard !FileSystem.exists(path + "/pyvenv.cfg") else { return }
      for name in FileSystem.contents(of: path) where !name.hasPrefix(".") {
        let child = path + "/" + name
        if FileSystem.isDirectory(child) {
          guard !Self.skippedFolders.contains(name),
            includingTests || !Self.testFolders.contains(name)
          else { continue }
          visit(child, includingTests: includingTests, seen: &seen)
        } else if name.hasSuffix(".py") {
          visit(child, includingTests: includingTests, seen: &seen)
        }
      }
    } else if let text = FileSystem.readText(path) {
      filesRead += 1
      scan(text, file: path)
    }
  }

  /// Looks at each line's code outside comments and triple-quoted strings: a call of
  /// `monkey_patch(...)` (eventlet's, or a project's wrapper of that name) or of nova's
  /// `monkey_patch.patch(...)`, or of `init_backend(...)` (oslo.service's backend choice);
  /// and an `import eventlet` or `from eventlet`. An alias (`monkey_patch =
  /// eventlet.patcher.monkey_patch`) or a definition is not a call.
  private mutating func scan(_ text: String, file: String) {
    guard
      text.contains("monkey_patch") || text.contains("init_backend")
        || text.contains("eventlet")
    else { return }
    var number = 0
    var quote: Substring?
    for raw in text.split(separator: "\n", omittingEmptySubsequences: false) {
      number += 1
      var line = raw.drop { $0 == " " || $0 == "\t" }
      if let open = quote {
        guard let end = line.firstRange(of: open) else { continue }
        line = line[end.upperBound...]
        quote = nil
      }
      line = Self.outsideStrings(line, quote: &quote)
      let code = line.prefix { $0 != "#" }
      if decidingSite == nil || unconditionalPatch == nil, !code.hasPrefix("def "),
        Self.callsPatch(code)
      {
        let here = SourceLocation(file: file, line: number)
        if raw.first != " ", raw.first != "\t", Self.callsEventletPatch(code) {
          unconditionalPatch = unconditionalPatch ?? here
        } else {
          decidingSite = decidingSite ?? here
        }
      }
      if eventletImport == nil, Self.importsEventlet(code) {
        eventletImport = SourceLocation(file: file, line: number)
      }
      if isSettled { return }
    }
  }

  /// The line without its triple-quoted parts; `quote` is set when one stays open.
  private static func outsideStrings(_ line: Substring, quote: inout Substring?) -> Substring {
    var kept = ""
    var rest = line
    while true {
      let double = rest.firstRange(of: "\"\"\""), single = rest.firstRange(of: "'''")
      guard
        let open = [double, single].compactMap({ $0 }).min(by: { $0.lowerBound < $1.lowerBound })
      else { break }
      kept += rest[..<open.lowerBound]
      let mark = rest[open]
      let after = rest[open.upperBound...]
      guard let close = after.firstRange(of: mark) else {
        quote = mark
        return Substring(kept)
      }
      rest = after[close.upperBound...]
    }
    return Substring(kept + rest)
  }

  /// eventlet's own function, called by its module path.
  private static func callsEventletPatch(_ code: Substring) -> Bool {
    code.hasPrefix("eventlet.monkey_patch(") || code.hasPrefix("eventlet.patcher.monkey_patch(")
      || code.hasPrefix("patcher.monkey_patch(") || code.hasPrefix("monkey_patch(")
  }

  private static func callsPatch(_ code: Substring) -> Bool {
    code.contains("monkey_patch(") || code.contains("monkey_patch.patch(")
      || code.contains("init_backend(")
  }

  /// `import eventlet`, `import eventlet.green`, `from eventlet import ...`,
  /// `from eventlet.green import ...`, also after `;`.
  private static func importsEventlet(_ code: Substring) -> Bool {
    for statement in code.split(separator: ";") {
      let words = statement.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "," })
      guard let first = words.first, first == "import" || first == "from" else { continue }
      let names = first == "from" ? Array(words.dropFirst().prefix(1)) : Array(words.dropFirst())
      if names.contains(where: { $0 == "eventlet" || $0.hasPrefix("eventlet.") }) { return true }
    }
    return false
  }
}
