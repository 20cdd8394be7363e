// An instance's own attributes, read without materialising anything. In 3.11 an instance of
// a class with a managed dict keeps its attributes as inline values beside the class's
// shared keys until someone asks for its __dict__; _PyObject_GetDictPtr then builds a
// GC-tracked dict for it (about 30 bytes an instance more, and a GC run that may call
// finalizers). The scans read the dict when one exists and the inline values otherwise, as
// the GC's own traversal does (_PyObject_VisitInstanceAttributes). The layouts are internal
// to CPython 3.11, so only this file sees them.
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#define Py_BUILD_CORE 1
#include <internal/pycore_dict.h>
#undef Py_BUILD_CORE

#include "gl_internal.h"
#include "gl_python.h"

// Where an instance's __dict__ pointer lives, or NULL (3.11's _PyObject_DictPointer, which
// is not exported): before the GC header for a managed dict, else at tp_dictoffset (from
// the end of a variable-size object when negative).
static PyObject **gl_dict_slot(PyObject *object) {
  PyTypeObject *type = Py_TYPE(object);
  if (type->tp_flags & Py_TPFLAGS_MANAGED_DICT) {
    return ((PyObject **)object) - 3;
  }
  Py_ssize_t offset = type->tp_dictoffset;
  if (offset == 0) {
    return NULL;
  }
  if (offset < 0) {
    Py_ssize_t size = Py_SIZE(object);
    offset += (Py_ssize_t)_PyObject_VAR_SIZE(type, size < 0 ? -size : size);
  }
  return (PyObject **)((char *)object + offset);
}

PyObject *gl_instance_dict(PyObject *object) {
  if (PyType_Check(object) || PyModule_Check(object)) {
    return NULL;
  }
  PyObject **slot = gl_dict_slot(object);
  return (slot != NULL && *slot != NULL && PyDict_Check(*slot)) ? *slot : NULL;
}

PyObject *gl_namespace(PyObject *object) {
  return PyModule_Check(object) ? PyModule_GetDict(object) : gl_instance_dict(object);
}

int gl_instance_attributes(PyObject *object, Py_ssize_t limit, gl_attribute_visitor visit,
                           void *context) {
  PyObject *dict = gl_instance_dict(object);
  Py_ssize_t seen = 0;
  if (dict != NULL) {
    Py_ssize_t position = 0;
    PyObject *name, *value;
    while (seen < limit && PyDict_Next(dict, &position, &name, &value)) {
      if (!PyUnicode_Check(name)) {
        continue;
      }
      seen++;
      int status = visit(name, value, context);
      if (status != 0) {
        return status;
      }
    }
    return 0;
  }
  PyTypeObject *type = Py_TYPE(object);
  if (!(type->tp_flags & Py_TPFLAGS_MANAGED_DICT) || PyType_Check(object)) {
    return 0;
  }
  PyDictValues *values = *(((PyDictValues **)object) - 4);  // _PyObject_ValuesPointer
  PyDictKeysObject *keys = ((PyHeapTypeObject *)type)->ht_cached_keys;
  if (values == NULL || keys == NULL || !DK_IS_UNICODE(keys)) {
    return 0;
  }
  // Every values array has room for all of the shared keys' entries (shared keys never
  // grow past the size the arrays were made with); an absent attribute is NULL.
  PyDictUnicodeEntry *entries = DK_UNICODE_ENTRIES(keys);
  for (Py_ssize_t i = 0; i < keys->dk_nentries && seen < limit; i++) {
    PyObject *value = values->values[i];
    if (value == NULL || entries[i].me_key == NULL) {
      continue;
    }
    seen++;
    int status = visit(entries[i].me_key, value, context);
    if (status != 0) {
      return status;
    }
  }
  return 0;
}
