import CPythonShims

/// A Python exception, taken off the interpreter's error indicator.
///
/// This is the one funnel from "NULL (or -1) and a Python error set" to a Swift error: every
/// call into the shim that can fail goes through ``check(_:)`` or ``check(status:)``, and
/// no call site tests `PyErr_Occurred` by hand.
public struct PythonError: Error, CustomStringConvertible {
  /// The exception object, with its traceback attached.
  public let exception: PythonObject

  /// The exception's type name, such as `ModuleNotFoundError`.
  public var typeName: String { exception.typeName }

  /// `str(exception)`.
  public var message: String { exception.description }

  /// `TypeName: message`, as the last line of a traceback reads.
  public var description: String {
    let text = message
    return text.isEmpty ? typeName : "\(typeName): \(text)"
  }

  /// The failing module's name when this is a `ModuleNotFoundError`.
  public var missingModule: String? {
    guard gl_exception_is(exception.pointer, GL_EXC_MODULE_NOT_FOUND) == 1,
      let name = try? exception.attribute("name")
    else { return nil }
    return name.stringValue
  }

  /// Whether this is a `SystemExit`.
  public var isSystemExit: Bool { gl_exception_is(exception.pointer, GL_EXC_SYSTEM_EXIT) == 1 }

  /// Whether this is a `KeyboardInterrupt`.
  public var isKeyboardInterrupt: Bool {
    gl_exception_is(exception.pointer, GL_EXC_KEYBOARD_INTERRUPT) == 1
  }

  /// Prints the exception with its traceback to `sys.stderr` as the interpreter prints an
  /// uncaught one.
  public func display() {
    gl_error_display(exception.pointer)
  }

  /// Hands the exception to `sys.excepthook`, as python does with an uncaught one at the
  /// end of a script (the service may have installed its own hook, as oslo.log does); the
  /// built-in display when the hook fails. Not for `SystemExit`, which it leaves alone.
  public func printUncaught() {
    gl_error_print_uncaught(exception.pointer)
  }

  /// Takes the pending exception, if any, clearing the indicator.
  public static func take() -> PythonError? {
    gl_error_take().map { PythonError(exception: PythonObject(owning: $0)) }
  }

  /// Wraps a new reference returned by the C API, or throws the pending exception for NULL.
  public static func check(_ result: OpaquePointer?) throws(PythonError) -> PythonObject {
    guard let result else { throw pending() }
    return PythonObject(owning: result)
  }

  /// Throws the pending exception when a C API status is negative.
  public static func check(status: Int32) throws(PythonError) {
    if status < 0 { throw pending() }
  }

  private static func pending() -> PythonError {
    if let error = take() { return error }
    // NULL without an exception is a CPython contract violation; report it as one.
    let fallback = gl_string("C API call failed without setting an exception")!
    return PythonError(exception: PythonObject(owning: fallback))
  }
}
