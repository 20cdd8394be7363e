// The two scans over every module of a service that run at the end of check and before
// hand-off: references to replaced originals (GL107/GL201) and reachable native locks and
// thread-locals (GL108/GL109). In C because they visit every global of thousands of
// modules and must not build a Swift value (or raise an AttributeError) per object: only
// hits are returned.
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <stdlib.h>
#include <string.h>

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
static int gl_is_dunder(PyObject *key) {
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

// Whether `object.__module__` is the string `module` (no exception left set).
static int gl_defined_in(PyObject *object, PyObject *module) {
  PyObject *owner = PyObject_GetAttrString(object, "__module__");
  if (owner == NULL) {
    PyErr_Clear();
    return 0;
  }
  int same = PyUnicode_Check(owner) && PyUnicode_Compare(owner, module) == 0;
  Py_DECREF(owner);
  return same;
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
  return hits;
fail:
  Py_DECREF(hits);
  return NULL;
}

// MARK: native instances

typedef struct {
  PyObject *types[3];
  PyObject *module;  // the module's name: its own classes' attributes are walked too
  PyObject *hits;
  PyObject *seen;  // a set of addresses (ints) of containers already walked
  PyObject *path[8];
  int depth;
} gl_walk;

// The dotted path of the current walk: module global, then attributes and items.
static PyObject *gl_walk_path(gl_walk *walk) {
  PyObject *text = PyUnicode_FromString("");
  for (int i = 0; text != NULL && i < walk->depth; i++) {
    PyObject *part = walk->path[i];
    PyObject *next;
    if (PyUnicode_Check(part)) {
      next = i == 0 ? PyUnicode_Concat(text, part) : PyUnicode_FromFormat("%U.%U", text, part);
    } else if (PyTuple_Check(part)) {
      next = PyUnicode_FromFormat("%U[%R]", text, PyTuple_GET_ITEM(part, 0));
    } else {
      next = PyUnicode_FromFormat("%U[%S]", text, part);
    }
    Py_DECREF(text);
    text = next;
  }
  return text;
}

static int gl_walk_value(gl_walk *walk, PyObject *value, PyObject *label, int budget) {
  if (walk->depth >= 8) {
    return 0;
  }
  walk->path[walk->depth++] = label;
  int status = 0;
  for (int kind = 0; kind < 3; kind++) {
    if ((PyObject *)Py_TYPE(value) == walk->types[kind]) {
      PyObject *path = gl_walk_path(walk);
      PyObject *hit = path ? Py_BuildValue("(Oin)", path, kind, (Py_ssize_t)value) : NULL;
      status = (hit == NULL || PyList_Append(walk->hits, hit) < 0) ? -1 : 0;
      Py_XDECREF(hit);
      Py_XDECREF(path);
      walk->depth--;
      return status;
    }
  }
  // A class of the module: its class attributes (`_lock = threading.Lock()` in the body).
  if (budget > 0 && PyType_Check(value) && gl_defined_in(value, walk->module)) {
    PyObject *members = ((PyTypeObject *)value)->tp_dict;
    Py_ssize_t position = 0;
    PyObject *key, *item;
    while (status == 0 && members != NULL && PyDict_Next(members, &position, &key, &item)) {
      if (PyUnicode_Check(key) && !gl_is_dunder(key)) {
        status = gl_walk_value(walk, item, key, budget - 1);
      }
    }
    walk->depth--;
    return status;
  }
  // A function: the cells of its closure (a decorator's `lock = threading.Lock()`),
  // shown as `wrapper.<closure>.lock`.
  if (budget > 0 && PyFunction_Check(value)) {
    PyObject *closure = PyFunction_GetClosure(value);  // borrowed
    PyCodeObject *code = (PyCodeObject *)PyFunction_GetCode(value);  // borrowed
    PyObject *names = code ? PyObject_GetAttrString((PyObject *)code, "co_freevars") : NULL;
    if (names == NULL) {
      PyErr_Clear();
    }
    for (Py_ssize_t i = 0; status == 0 && closure != NULL && names != NULL &&
                           PyTuple_Check(closure) && i < PyTuple_GET_SIZE(closure) &&
                           i < PyTuple_GET_SIZE(names);
         i++) {
      PyObject *cell = PyTuple_GET_ITEM(closure, i);
      PyObject *contents = PyCell_Check(cell) ? PyCell_GET(cell) : NULL;
      if (contents == NULL) {
        continue;
      }
      PyObject *label = PyUnicode_FromFormat("<closure>.%U", PyTuple_GET_ITEM(names, i));
      status = label ? gl_walk_value(walk, contents, label, budget - 1) : -1;
      Py_XDECREF(label);
    }
    Py_XDECREF(names);
    walk->depth--;
    return status;
  }
  if (budget <= 0 || PyType_Check(value) || PyModule_Check(value) || PyFunction_Check(value) ||
      PyUnicode_Check(value) || PyLong_Check(value) || PyFloat_Check(value) ||
      PyBytes_Check(value) || value == Py_None || PyCFunction_Check(value)) {
    walk->depth--;
    return 0;
  }
  PyObject *address = PyLong_FromVoidPtr(value);
  int fresh = address ? PySet_Contains(walk->seen, address) == 0 : 0;
  if (fresh && PySet_Add(walk->seen, address) < 0) {
    fresh = 0;
    status = -1;
  }
  Py_XDECREF(address);
  if (fresh) {
    if (PyDict_Check(value)) {
      Py_ssize_t position = 0;
      PyObject *key, *item;
      while (status == 0 && PyDict_Next(value, &position, &key, &item)) {
        PyObject *segment = PyTuple_Pack(1, key);  // (key,) marks an item: shown as [key]
        status = segment ? gl_walk_value(walk, item, segment, budget - 1) : -1;
        Py_XDECREF(segment);
      }
    } else if (PyList_Check(value) || PyTuple_Check(value)) {
      PyObject *items = PySequence_Fast(value, "");
      for (Py_ssize_t i = 0; status == 0 && items && i < PySequence_Fast_GET_SIZE(items); i++) {
        PyObject *index = PyLong_FromSsize_t(i);
        status = index ? gl_walk_value(walk, PySequence_Fast_GET_ITEM(items, i), index,
                                       budget - 1)
                       : -1;
        Py_XDECREF(index);
      }
      Py_XDECREF(items);
    } else {
      PyObject *attributes = gl_instance_dict(value);  // borrowed
      Py_ssize_t position = 0;
      PyObject *key, *item;
      while (status == 0 && attributes != NULL && PyDict_Next(attributes, &position, &key, &item)) {
        if (PyUnicode_Check(key)) {
          status = gl_walk_value(walk, item, key, budget - 1);
        }
      }
    }
  }
  walk->depth--;
  return status;
}

PyObject *gl_scan_native_instances(PyObject *namespace, PyObject *module, PyObject *lock,
                                   PyObject *rlock, PyObject *local, int depth) {
  gl_walk walk = {{lock, rlock, local}, module, PyList_New(0), PySet_New(NULL), {0}, 0};
  if (walk.hits == NULL || walk.seen == NULL || !PyDict_Check(namespace)) {
    Py_XDECREF(walk.seen);
    return walk.hits;
  }
  Py_ssize_t position = 0;
  PyObject *key, *value;
  while (PyDict_Next(namespace, &position, &key, &value)) {
    if (!PyUnicode_Check(key) || gl_is_dunder(key)) {
      continue;
    }
    if (gl_walk_value(&walk, value, key, depth) < 0) {
      Py_DECREF(walk.hits);
      Py_DECREF(walk.seen);
      return NULL;
    }
  }
  Py_DECREF(walk.seen);
  return walk.hits;
}
