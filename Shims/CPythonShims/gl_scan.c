// The two scans over every module of a service that run at the end of check and before
// hand-off: references to replaced originals (GL107/GL201, here) and reachable native locks
// and thread-locals (GL108/GL109, gl_walk.c). In C because they visit every global of
// thousands of modules and must not build a Swift value (or raise an AttributeError) per
// object: only hits are returned. Neither runs the service's code: no attribute lookup,
// iteration or repr of its objects, and the cyclic GC (whose finalizers are the service's)
// is off while they run.
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <stdlib.h>
#include <string.h>

#include "gl_internal.h"
#include "gl_python.h"

static int gl_compare_addresses(const void *a, const void *b) {
  uintptr_t x = *(const uintptr_t *)a, y = *(const uintptr_t *)b;
  return x < y ? -1 : x > y;
}

// The index of `object` among the sorted `targets`, or -1.
static long gl_target_index(const uintptr_t *targets, size_t count, PyObject *object) {
  uintptr_t key = (uintptr_t)object;
  const uintptr_t *found = bsearch(&key, targets, count, sizeof key, gl_compare_addresses);
  return found ? (long)(found - targets) : -1;
}

// Whether a str key starts with two underscores (module machinery, not the service's).
int gl_is_dunder(PyObject *key) {
  return PyUnicode_GET_LENGTH(key) > 1 && PyUnicode_READ_CHAR(key, 0) == '_' &&
         PyUnicode_READ_CHAR(key, 1) == '_';
}

static int gl_append_hit(PyObject *hits, const char *kind, PyObject *holder, long target) {
  PyObject *hit = Py_BuildValue("(sOl)", kind, holder, target);
  if (hit == NULL) {
    return -1;
  }
  int status = PyList_Append(hits, hit);
  Py_DECREF(hit);
  return status;
}

// Whether a class's or function's module is the string `module`, read from the class's own
// dict or the function's func_module: getattr(object, "__module__") would run a
// metaclass's __getattribute__, the service's code. Never raises.
int gl_defined_in(PyObject *object, PyObject *module) {
  static PyObject *key = NULL;  // "__module__", interned once
  if (key == NULL && (key = PyUnicode_InternFromString("__module__")) == NULL) {
    PyErr_Clear();
    return 0;
  }
  PyObject *owner = NULL;
  if (PyType_Check(object)) {
    PyObject *members = ((PyTypeObject *)object)->tp_dict;
    owner = members ? PyDict_GetItemWithError(members, key) : NULL;  // borrowed
    PyErr_Clear();
  } else if (PyFunction_Check(object)) {
    owner = ((PyFunctionObject *)object)->func_module;
  }
  return owner != NULL && PyUnicode_Check(owner) && PyUnicode_Compare(owner, module) == 0;
}

// Defaults and keyword defaults of a function that are targets.
static int gl_scan_defaults(PyObject *function, const uintptr_t *targets, size_t count,
                            PyObject *hits) {
  PyObject *defaults = PyFunction_GetDefaults(function);  // borrowed
  if (defaults != NULL && PyTuple_Check(defaults)) {
    for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE(defaults); i++) {
      long index = gl_target_index(targets, count, PyTuple_GET_ITEM(defaults, i));
      if (index >= 0 && gl_append_hit(hits, "default", function, index) < 0) {
        return -1;
      }
    }
  }
  PyObject *keywords = PyFunction_GetKwDefaults(function);  // borrowed
  if (keywords != NULL && PyDict_Check(keywords)) {
    Py_ssize_t position = 0;
    PyObject *key, *value;
    while (PyDict_Next(keywords, &position, &key, &value)) {
      long index = gl_target_index(targets, count, value);
      if (index >= 0 && gl_append_hit(hits, "default", function, index) < 0) {
        return -1;
      }
    }
  }
  return 0;
}

PyObject *gl_scan_references(PyObject *namespace, PyObject *module, const uintptr_t *targets,
                             size_t count) {
  PyObject *hits = PyList_New(0);
  if (hits == NULL || !PyDict_Check(namespace)) {
    return hits;
  }
  int enabled = PyGC_Disable();  // no finalizer of the service's runs during the scan
  Py_ssize_t position = 0;
  PyObject *key, *value;
  while (PyDict_Next(namespace, &position, &key, &value)) {
    if (!PyUnicode_Check(key) || gl_is_dunder(key)) {
      continue;
    }
    long index = gl_target_index(targets, count, value);
    if (index >= 0) {
      if (gl_append_hit(hits, "global", key, index) < 0) {
        goto fail;
      }
      continue;
    }
    if (PyFunction_Check(value)) {
      if (gl_defined_in(value, module) && gl_scan_defaults(value, targets, count, hits) < 0) {
        goto fail;
      }
    } else if (PyType_Check(value) && gl_defined_in(value, module)) {
      PyObject *bases = ((PyTypeObject *)value)->tp_bases;
      for (Py_ssize_t i = 0; bases != NULL && i < PyTuple_GET_SIZE(bases); i++) {
        long base = gl_target_index(targets, count, PyTuple_GET_ITEM(bases, i));
        if (base >= 0 && gl_append_hit(hits, "base", value, base) < 0) {
          goto fail;
        }
      }
      PyObject *members = ((PyTypeObject *)value)->tp_dict;
      Py_ssize_t inner = 0;
      PyObject *name, *member;
      while (members != NULL && PyDict_Next(members, &inner, &name, &member)) {
        if (PyFunction_Check(member) && gl_scan_defaults(member, targets, count, hits) < 0) {
          goto fail;
        }
      }
    }
  }
  if (enabled) {
    PyGC_Enable();
  }
  return hits;
fail:
  if (enabled) {
    PyGC_Enable();
  }
  Py_DECREF(hits);
  return NULL;
}
