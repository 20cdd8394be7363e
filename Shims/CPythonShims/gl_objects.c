// Generic object operations Swift needs, wrapped because Python.h cannot reach Swift.
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <marshal.h>

#include "gl_python.h"

void gl_incref(PyObject *object) { Py_INCREF(object); }

void gl_decref(PyObject *object) { Py_XDECREF(object); }

PyObject *gl_import(const char *name) { return PyImport_ImportModule(name); }

PyObject *gl_getattr(PyObject *object, const char *name) {
  return PyObject_GetAttrString(object, name);
}

int gl_hasattr(PyObject *object, const char *name) {
  return PyObject_HasAttrString(object, name);
}

int gl_setattr(PyObject *object, const char *name, PyObject *value) {
  return PyObject_SetAttrString(object, name, value);
}

PyObject *gl_call(PyObject *callable, PyObject *const *arguments, size_t count) {
  PyObject *tuple = PyTuple_New((Py_ssize_t)count);
  if (tuple == NULL) {
    return NULL;
  }
  for (size_t i = 0; i < count; i++) {
    Py_INCREF(arguments[i]);
    PyTuple_SET_ITEM(tuple, (Py_ssize_t)i, arguments[i]);
  }
  PyObject *result = PyObject_Call(callable, tuple, NULL);
  Py_DECREF(tuple);
  return result;
}

PyObject *gl_str(PyObject *object) { return PyObject_Str(object); }

PyObject *gl_unmarshal(const unsigned char *bytes, long size) {
  return PyMarshal_ReadObjectFromString((const char *)bytes, (Py_ssize_t)size);
}

PyObject *gl_repr(PyObject *object) { return PyObject_Repr(object); }

const char *gl_utf8(PyObject *object) {
  if (!PyUnicode_Check(object)) {
    return NULL;
  }
  const char *utf8 = PyUnicode_AsUTF8(object);
  if (utf8 == NULL) {
    PyErr_Clear();
  }
  return utf8;
}

PyObject *gl_string(const char *utf8) { return PyUnicode_FromString(utf8); }

long long gl_int_value(PyObject *object) { return PyLong_AsLongLong(object); }

PyObject *gl_none(void) { return Py_None; }

int gl_is(PyObject *a, PyObject *b) { return a == b; }

const char *gl_type_name(PyObject *object) { return Py_TYPE(object)->tp_name; }

const char *gl_class_name(PyObject *type) {
  return PyType_Check(type) ? _PyType_Name((PyTypeObject *)type) : NULL;
}

PyObject *gl_sys_modules(void) { return PyImport_GetModuleDict(); }

PyObject *gl_dict_get(PyObject *dict, const char *key) {
  return PyDict_GetItemString(dict, key);
}

int gl_dict_set(PyObject *dict, const char *key, PyObject *value) {
  return PyDict_SetItemString(dict, key, value);
}

PyObject *gl_list(PyObject *iterable) { return PySequence_List(iterable); }

long gl_list_size(PyObject *list) { return (long)PyList_Size(list); }

PyObject *gl_list_item(PyObject *list, long index) { return PyList_GetItem(list, index); }

PyObject *gl_dict_items(PyObject *dict) { return PyDict_Items(dict); }

PyObject *gl_tuple_item(PyObject *tuple, long index) { return PyTuple_GetItem(tuple, index); }

int gl_truth(PyObject *object) { return PyObject_IsTrue(object); }

int gl_is_str(PyObject *object) { return PyUnicode_Check(object); }

int gl_is_type(PyObject *object) { return PyType_Check(object); }

int gl_is_dict(PyObject *object) { return PyDict_Check(object); }

int gl_is_module(PyObject *object) { return PyModule_Check(object); }

uintptr_t gl_address(PyObject *object) { return (uintptr_t)object; }

PyObject *gl_type_of(PyObject *object) { return (PyObject *)Py_TYPE(object); }

int gl_is_callable(PyObject *object) { return PyCallable_Check(object); }

int gl_is_function(PyObject *object) { return PyFunction_Check(object); }

int gl_is_collection(PyObject *object) {
  return PyList_Check(object) || PyTuple_Check(object) || PyAnySet_Check(object);
}
