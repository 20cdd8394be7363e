#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The few file-system questions the launch asks, answered with libc so that greenlight's
/// start-up does not load Foundation.
public enum FileSystem {
  /// Whether anything exists at `path` (following symlinks).
  public static func exists(_ path: String) -> Bool {
    var info = stat()
    return stat(path, &info) == 0
  }

  /// Whether `path` is a directory (following symlinks).
  public static func isDirectory(_ path: String) -> Bool {
    var info = stat()
    return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
  }

  /// Whether `path` is a regular file the process may execute.
  public static func isExecutableFile(_ path: String) -> Bool {
    var info = stat()
    return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFREG && access(path, X_OK) == 0
  }

  /// The canonical path with every symlink resolved, or nil when it does not exist.
  public static func realPath(_ path: String) -> String? {
    guard let resolved = realpath(path, nil) else { return nil }
    defer { free(resolved) }
    return String(cString: resolved)
  }

  /// The working directory.
  public static func currentDirectory() -> String {
    guard let buffer = getcwd(nil, 0) else { return "." }
    defer { free(buffer) }
    return String(cString: buffer)
  }

  /// `path` made absolute against the working directory, without resolving symlinks (a
  /// venv's `bin/python` is a symlink whose own location is what selects the venv).
  public static func absolute(_ path: String) -> String {
    let joined = path.hasPrefix("/") ? path : currentDirectory() + "/" + path
    return normalize(joined)
  }

  /// Removes `.`, empty components and `..` lexically from an absolute path.
  ///
  /// Paths are bytes to the kernel, and this works on their UTF-8 bytes: a Character-wise
  /// split costs every start about 250k instructions (docs/embedding-notes.md, "Giving the
  /// launch's costs back"), and does not split at a `/` that a combining mark follows.
  public static func normalize(_ path: String) -> String {
    var result: [UInt8] = []
    result.reserveCapacity(path.utf8.count + 1)
    // Where each kept component's leading slash sits in `result`, for `..`.
    var starts: [Int] = []
    forEachComponent(path) { component in
      let dots = component.allSatisfy { $0 == UInt8(ascii: ".") } ? component.count : 0
      switch dots {
      case 1: return
      case 2: if let start = starts.popLast() { result.removeSubrange(start...) }
      default:
        starts.append(result.count)
        result.append(UInt8(ascii: "/"))
        result.append(contentsOf: component)
      }
    }
    return result.isEmpty ? "/" : String(decoding: result, as: UTF8.self)
  }

  /// The parent folder of an absolute path.
  public static func parent(_ path: String) -> String {
    let bytes = path.utf8
    guard let last = bytes.lastIndex(of: UInt8(ascii: "/")), last != bytes.startIndex else {
      return "/"
    }
    return String(decoding: bytes[..<last], as: UTF8.self)
  }

  /// The last component of a path.
  public static func baseName(_ path: String) -> String {
    var last: Substring.UTF8View?
    forEachComponent(path) { last = $0 }
    return last.map { String(decoding: $0, as: UTF8.self) } ?? path
  }

  /// Calls `body` with each non-empty component of `path`, split at its `/` bytes.
  private static func forEachComponent(_ path: String, _ body: (Substring.UTF8View) -> Void) {
    let bytes = path.utf8
    var index = bytes.startIndex
    while let start = bytes[index...].firstIndex(where: { $0 != UInt8(ascii: "/") }) {
      let end = bytes[start...].firstIndex(of: UInt8(ascii: "/")) ?? bytes.endIndex
      body(bytes[start..<end])
      index = end
    }
  }

  /// A text file's contents, or nil when it cannot be read.
  public static func readText(_ path: String) -> String? {
    guard let file = fopen(path, "r") else { return nil }
    defer { fclose(file) }
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 16384)
    while true {
      let count = chunk.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, file) }
      if count == 0 { break }
      bytes.append(contentsOf: chunk[..<count])
    }
    return String(decoding: bytes, as: UTF8.self)
  }

  /// The names in a folder, or an empty list when it cannot be read.
  public static func contents(of directory: String) -> [String] {
    guard let handle = opendir(directory) else { return [] }
    defer { closedir(handle) }
    var names: [String] = []
    while let entry = readdir(handle) {
      let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
        String(cString: raw.bindMemory(to: CChar.self).baseAddress!)
      }
      if name != "." && name != ".." { names.append(name) }
    }
    return names.sorted()
  }

  /// Writes `text` to `path`, replacing it. Returns whether every byte was written.
  public static func write(_ text: String, to path: String) -> Bool {
    guard let file = fopen(path, "w") else { return false }
    let bytes = Array(text.utf8)
    let written = bytes.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, file) }
    return fclose(file) == 0 && written == bytes.count
  }

  /// Replaces the file at `path` with `text` whole: written to a temporary file beside it,
  /// then renamed over it, so that a process killed meanwhile leaves the previous file
  /// whole, never a truncated one. A symlink is followed to its file. What is not a regular
  /// file (`/dev/stdout`, a FIFO) is written in place, since renaming over it would replace
  /// the device node itself. Returns whether every byte was written.
  public static func replace(_ path: String, with text: String) -> Bool {
    let target = followingLinks(path)
    var info = stat()
    if stat(target, &info) == 0, (info.st_mode & S_IFMT) != S_IFREG {
      return write(text, to: target)
    }
    let temporary = "\(target).\(getpid()).partial"
    guard write(text, to: temporary) else {
      unlink(temporary)
      return false
    }
    guard rename(temporary, target) == 0 else {
      unlink(temporary)
      return false
    }
    return true
  }

  /// `path` with symlinks followed to the file they name, also when that file does not
  /// exist yet (a dangling link is written through, not replaced).
  static func followingLinks(_ path: String) -> String {
    var current = path
    for _ in 0..<40 {
      var buffer = [CChar](repeating: 0, count: 4097)
      let length = readlink(current, &buffer, 4096)
      guard length > 0 else { return current }
      let destination = String(
        decoding: buffer[0..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self)
      current = destination.hasPrefix("/") ? destination : parent(current) + "/" + destination
    }
    return current
  }
}
