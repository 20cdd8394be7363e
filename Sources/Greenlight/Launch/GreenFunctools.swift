import PythonRuntime

/// Part of the green-subprocess phase: the standard library's one stale lock factory.
///
/// In Python 3.11 `functools` binds `from _thread import RLock` at start-up, before any
/// patch, and every `functools.cached_property` made later creates its lock from it: a
/// native RLock in a green process (pytest's `Item.location` is one), which blocks the whole
/// process when two green threads compute the same property. eventlet greens only RLock
/// instances that already exist. greenlight points `functools.RLock` at the patched
/// `threading.RLock`, so cached properties defined after the patch get a green lock.
enum GreenFunctools {
  /// What `--verbose` says once the rebinding is done.
  static let done = "cached_property locks are green (functools.RLock)"

  /// Rebinds `functools.RLock` when it is still `_thread.RLock`. Returns whether it did.
  @discardableResult
  static func install() throws(PythonError) -> Bool {
    let functools = try PythonObject.importModule("functools")
    let native = try PythonObject.importModule("_thread").attribute("RLock")
    guard let bound = functools.attributeIfPresent("RLock"), bound.isIdentical(to: native) else {
      return false
    }
    let green = try PythonObject.importModule("threading").attribute("RLock")
    try functools.setAttribute("RLock", to: green)
    return true
  }
}
