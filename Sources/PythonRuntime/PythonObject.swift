import CPythonShims

/// An owned reference to a Python object.
///
/// Every `PythonObject` holds one strong reference and drops it when released. All uses,
/// including the last release, must happen with the GIL held and before the interpreter
/// finalises: greenlight's launch phases hold the GIL on the main thread from
/// initialisation to hand-off, and release their objects before it.
public final class PythonObject: @unchecked Sendable {
  /// The underlying `PyObject *`, valid while this object lives.
  public let pointer: OpaquePointer

  /// Takes ownership of a new reference.
  public init(owning pointer: OpaquePointer) {
    self.pointer = pointer
  }

  /// Adds a reference to a borrowed one.
  public init(borrowing pointer: OpaquePointer) {
    gl_incref(pointer)
    self.pointer = pointer
  }

  deinit {
    gl_decref(pointer)
  }

  /// Python's `None`.
  public static var none: PythonObject { PythonObject(borrowing: gl_none()) }

  /// `getattr(self, name)`.
  public func attribute(_ name: String) throws(PythonError) -> PythonObject {
    try PythonError.check(gl_getattr(pointer, name))
  }

  /// `hasattr(self, name)`.
  public func hasAttribute(_ name: String) -> Bool {
    gl_hasattr(pointer, name) == 1
  }

  /// `setattr(self, name, value)`.
  public func setAttribute(_ name: String, to value: PythonObject) throws(PythonError) {
    try PythonError.check(status: gl_setattr(pointer, name, value.pointer))
  }

  /// `self(*arguments)`.
  @discardableResult
  public func call(_ arguments: PythonObject...) throws(PythonError) -> PythonObject {
    let pointers: [OpaquePointer?] = arguments.map(\.pointer)
    let result = pointers.withUnsafeBufferPointer { gl_call(pointer, $0.baseAddress, $0.count) }
    return try PythonError.check(result)
  }

  /// `self is other`.
  public func isIdentical(to other: PythonObject) -> Bool {
    gl_is(pointer, other.pointer) == 1
  }

  /// `self is None`.
  public var isNone: Bool { gl_is(pointer, gl_none()) == 1 }

  /// The object's text when it is a `str`.
  public var stringValue: String? {
    gl_utf8(pointer).map { String(cString: $0) }
  }

  /// `str(self)`, or the type name when `str()` itself fails.
  public var description: String {
    guard let text = gl_str(pointer) else {
      _ = PythonError.take()
      return "<\(typeName)>"
    }
    return PythonObject(owning: text).stringValue ?? "<\(typeName)>"
  }

  /// The name of the object's type.
  public var typeName: String { String(cString: gl_type_name(pointer)) }

  /// A Python `str` holding `text`.
  public static func string(_ text: String) throws(PythonError) -> PythonObject {
    try PythonError.check(gl_string(text))
  }

  /// The object `bytes` hold in marshal's format (`marshal.loads`).
  public static func unmarshal(_ bytes: UnsafeBufferPointer<UInt8>) throws(PythonError)
    -> PythonObject
  {
    try PythonError.check(gl_unmarshal(bytes.baseAddress, bytes.count))
  }

  /// `import name`, returning the named (innermost) module.
  public static func importModule(_ name: String) throws(PythonError) -> PythonObject {
    try PythonError.check(gl_import(name))
  }

  /// `sys.modules`.
  public static var sysModules: PythonObject { PythonObject(borrowing: gl_sys_modules()) }

  /// `dict[key]`, or nil when the key is absent.
  public func item(_ key: String) -> PythonObject? {
    gl_dict_get(pointer, key).map { PythonObject(borrowing: $0) }
  }

  /// `dict[key] = value`.
  public func setItem(_ key: String, to value: PythonObject) throws(PythonError) {
    try PythonError.check(status: gl_dict_set(pointer, key, value.pointer))
  }

  /// `list(self)`, as Swift objects.
  public func elements() throws(PythonError) -> [PythonObject] {
    let list = try PythonError.check(gl_list(pointer))
    return (0..<gl_list_size(list.pointer)).map {
      PythonObject(borrowing: gl_list_item(list.pointer, $0)!)
    }
  }

  /// A mapping's `(key, value)` pairs: a dict's directly, any other mapping's (such as a
  /// class's mappingproxy) through its `items()`.
  public func items() throws(PythonError) -> [(key: PythonObject, value: PythonObject)] {
    let list =
      isDictionary
      ? try PythonError.check(gl_dict_items(pointer))
      : try PythonError.check(gl_list(try attribute("items").call().pointer))
    return (0..<gl_list_size(list.pointer)).map { index in
      let pair = gl_list_item(list.pointer, index)!
      return (
        PythonObject(borrowing: gl_tuple_item(pair, 0)!),
        PythonObject(borrowing: gl_tuple_item(pair, 1)!)
      )
    }
  }

  /// `bool(self)`.
  public var isTrue: Bool { gl_truth(pointer) == 1 }
  /// `isinstance(self, str)`.
  public var isString: Bool { gl_is_str(pointer) != 0 }
  /// `isinstance(self, type)`.
  public var isType: Bool { gl_is_type(pointer) != 0 }
  /// `isinstance(self, dict)`.
  public var isDictionary: Bool { gl_is_dict(pointer) != 0 }
  /// `isinstance(self, types.ModuleType)`.
  public var isModule: Bool { gl_is_module(pointer) != 0 }
  /// `id(self)`.
  public var identity: UInt { UInt(gl_address(pointer)) }

  /// `getattr(self, name, None)`, with any exception cleared.
  public func attributeIfPresent(_ name: String) -> PythonObject? {
    guard let value = gl_getattr(pointer, name) else {
      _ = PythonError.take()
      return nil
    }
    let object = PythonObject(owning: value)
    return object.isNone ? nil : object
  }

  /// The value of a Python int, or nil when it is not one (or does not fit).
  public var integerValue: Int? {
    let value = gl_int_value(pointer)
    if value == -1, let error = PythonError.take() {
      _ = error
      return nil
    }
    return Int(value)
  }

  /// `type(self)`.
  public var type: PythonObject { PythonObject(borrowing: gl_type_of(pointer)) }

  /// `callable(self)`.
  public var isCallable: Bool { gl_is_callable(pointer) != 0 }

  /// Whether this is a Python function (`types.FunctionType`).
  public var isFunction: Bool { gl_is_function(pointer) != 0 }
  /// Whether this is a list, tuple, set or frozenset.
  public var isCollection: Bool { gl_is_collection(pointer) != 0 }
  /// A class's `__name__`, read without an attribute lookup (no metaclass code runs); nil
  /// for anything but a class.
  public var className: String? { gl_class_name(pointer).map { String(cString: $0) } }
  /// A module's namespace dict, or the existing `__dict__` of an object standing in for a
  /// module, read without an attribute lookup (no `__getattribute__` of the service runs).
  public var namespace: PythonObject? {
    gl_namespace(pointer).map { PythonObject(borrowing: $0) }
  }
  /// A class's own namespace entry, read from its dict without an attribute lookup (no
  /// metaclass `__getattribute__` runs); nil for anything but a class, or a missing key.
  public func classMember(_ key: String) -> PythonObject? {
    gl_class_member(pointer, key).map { PythonObject(borrowing: $0) }
  }
  /// The instance's own `__dict__` if it exists already, without raising when it has none.
  public var instanceDictionary: PythonObject? {
    gl_instance_dict(pointer).map { PythonObject(borrowing: $0) }
  }
}
