import CPythonShims
import PythonRuntime

/// Whether a debugger is in use at this instant, not merely imported: a trace function set
/// on some thread (`sys.settrace`, `PyEval_SetTrace`: pdb, pydevd, coverage), one set for
/// new threads (`threading.settrace`), or pydevd (debugpy's engine) with a debugger started.
/// Read from the thread states and module namespaces: no code of the service runs.
enum DebuggerInUse {
  /// What is in use, for a message (`the trace function svc.tracer is set on the calling
  /// thread`), or nil when nothing is.
  static func describe(_ view: ProcessView) -> String? {
    if let constants = view.module("_pydevd_bundle.pydevd_constants")?.namespace,
      let debugger = constants.item("GlobalDebuggerHolder")?.classMember("global_dbg"),
      !debugger.isNone
    {
      return "pydevd is debugging the process"
    }
    if let tracers = try? PythonError.check(gl_thread_tracers()).elements(),
      !tracers.isEmpty
    {
      // The calling thread's tracer first: that is the debugger stepping through this call.
      let pairs = tracers.compactMap { try? $0.elements() }.filter { $0.count == 2 }
      if let pair = pairs.first(where: { $0[0].isTrue }) ?? pairs.first {
        let which = pair[0].isTrue ? "the calling thread" : "another thread"
        return "the trace function \(name(of: pair[1])) is set on \(which)"
      }
    }
    if let hook = view.module("threading")?.namespace?.item("_trace_hook"), !hook.isNone {
      return "threading.settrace(\(name(of: hook))) traces new threads"
    }
    return nil
  }

  /// `module.qualname` of a function or bound method, else the object's type name. Read
  /// from the function's own fields (no `__getattribute__` of the service runs).
  private static func name(of tracer: PythonObject) -> String {
    let function =
      tracer.isFunction
      ? tracer
      : tracer.typeName == "method"
        ? tracer.attributeIfPresent("__func__") : nil
    guard let function, function.isFunction,
      let qualified = function.attributeIfPresent("__qualname__")?.stringValue
    else { return tracer.typeName }
    let module = function.attributeIfPresent("__module__")?.stringValue
    return module.map { "\($0).\(qualified)" } ?? qualified
  }
}
