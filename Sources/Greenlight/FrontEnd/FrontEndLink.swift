import PythonRuntime

#if canImport(Glibc)
  import Glibc
#endif

/// The path children run as `sys.executable`: a symbolic link named `python` that points
/// at greenlight's own executable. greenlight started through a link whose name starts with
/// `python` is the python front end, so every child started with `sys.executable`
/// (multiprocessing, stestr and pytest-xdist workers, a test's own `subprocess`) is
/// patched first too.
public enum FrontEndLink {
  /// Whether a program started as `argv0` is the python front end (`python`, `python3`,
  /// `python3.11`, ...).
  public static func isFrontEndName(_ argv0: String) -> Bool {
    FileSystem.baseName(argv0).hasPrefix("python")
  }

  /// greenlight's own executable, symlinks resolved.
  public static var selfExecutable: String? { FileSystem.realPath("/proc/self/exe") }

  /// The absolute path a program started as `argv0` was found at, as python computes
  /// `sys.executable`: `argv0` itself when it has a slash, else the first match on PATH.
  public static func invokedPath(_ argv0: String, path: String?) -> String? {
    if argv0.contains("/") { return FileSystem.absolute(argv0) }
    for folder in (path ?? "").split(separator: ":", omittingEmptySubsequences: false) {
      let directory = folder.isEmpty ? "." : String(folder)
      let candidate = FileSystem.absolute(directory + "/" + argv0)
      if FileSystem.isExecutableFile(candidate) { return candidate }
    }
    return nil
  }

  /// Creates (or replaces) a link named `python` in `folder` pointing at `target`.
  /// Returns the link's path, or nil when it cannot be made.
  public static func make(in folder: String, pointingAt target: String) -> String? {
    let link = folder + "/python"
    let temporary = folder + "/.python-\(getpid())"
    unlink(temporary)
    guard symlink(target, temporary) == 0 else { return nil }
    guard rename(temporary, link) == 0 else {
      unlink(temporary)
      return nil
    }
    return link
  }

  /// The link `greenlight python` gives its children when no `greenlight test` made one:
  /// `$XDG_RUNTIME_DIR` (or `/tmp`) `/greenlight-UID/HASH/python`, in folders of mode 0700
  /// owned by the user; HASH names greenlight's executable, so builds do not share a link.
  static func privateLink(environment: [String: String]) -> String? {
    guard let target = selfExecutable else { return nil }
    let runtime = environment["XDG_RUNTIME_DIR"].flatMap {
      FileSystem.isDirectory($0) ? $0 : nil
    }
    let root = (runtime ?? "/tmp") + "/greenlight-\(getuid())"
    let folder = root + "/" + hash(target)
    guard PrivateFolder.ensure(root), PrivateFolder.ensure(folder) else { return nil }
    let link = folder + "/python"
    if FileSystem.realPath(link) == target { return link }
    return make(in: folder, pointingAt: target)
  }

  /// FNV-1a of the text, in hex: short, stable across runs.
  private static func hash(_ text: String) -> String {
    var value: UInt64 = 0xcbf2_9ce4_8422_2325
    for byte in text.utf8 {
      value ^= UInt64(byte)
      value = value &* 0x100_0000_01b3
    }
    return String(value, radix: 16)
  }
}

/// A folder only its owner may use: created with mode 0700, or, if it exists, verified to be
/// a real folder (not a link) owned by the user and not writable by group or others.
public enum PrivateFolder {
  public static func ensure(_ path: String) -> Bool {
    if mkdir(path, 0o700) == 0 { return true }
    guard errno == EEXIST else { return false }
    var status = stat()
    guard lstat(path, &status) == 0 else { return false }
    return (status.st_mode & S_IFMT) == S_IFDIR && status.st_uid == getuid()
      && (status.st_mode & 0o022) == 0
  }
}
