// The walk behind GL108/GL109: native locks and thread-locals reachable from a module
// namespace (gl_scan_native_instances). It reads the interpreter's storage only (dict
// entries, list and tuple items, instance attributes through gl_instance.c, closure cells),
// never calls the service's code, and is bounded in depth and in breadth.
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include "gl_internal.h"
#include "gl_python.h"

// The walk's bounds. In depth: the `depth` steps Swift passes (3). In breadth: at most
// GL_SCAN_ITEMS items of one container (a dict's items, a list's or tuple's items, an
// object's or a class's attributes) and at most GL_SCAN_VALUES values in all for one module
// namespace, so that a list of ten million items or a million instances adds about a
// millisecond. Whatever lies past a bound is not looked at (docs/embedding-notes.md).
#define GL_SCAN_ITEMS 1000
#define GL_SCAN_VALUES 100000

// One step of the path from a module global: a name (global, attribute), a closure cell's
// name, a dict key, or a list or tuple index.
typedef enum { GL_STEP_NAME, GL_STEP_CLOSURE, GL_STEP_KEY, GL_STEP_INDEX } gl_step_kind;

typedef struct {
  gl_step_kind kind;
  PyObject *object;  // borrowed: the name or the key (NULL for an index)
  Py_ssize_t index;
} gl_step;

typedef struct {
  PyObject *types[3];
  PyObject *module;  // the module's name: its own classes' attributes are walked too
  PyObject *hits;
  PyObject *seen;  // a set of addresses (ints) of containers already walked
  gl_step path[8];
  int depth;
  Py_ssize_t values_left;  // GL_SCAN_VALUES, counted down
} gl_walk;

// Whether repr() of a key is built-in code only: exact str, int, float, bytes, bool, None,
// and tuples of those. Any other key's __repr__ is the service's code.
static int gl_plain_key(PyObject *key, int nesting) {
  if (PyUnicode_CheckExact(key) || PyLong_CheckExact(key) || PyFloat_CheckExact(key) ||
      PyBytes_CheckExact(key) || PyBool_Check(key) || key == Py_None) {
    return 1;
  }
  if (!PyTuple_CheckExact(key) || nesting >= 4) {
    return 0;
  }
  for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE(key); i++) {
    if (!gl_plain_key(PyTuple_GET_ITEM(key, i), nesting + 1)) {
      return 0;
    }
  }
  return 1;
}

// A dict key as the path shows it: its repr for plain keys, else `<TypeName>` (the key's
// __repr__ is never called). New reference.
static PyObject *gl_key_text(PyObject *key) {
  if (gl_plain_key(key, 0)) {
    PyObject *text = PyObject_Repr(key);
    if (text != NULL) {
      return text;
    }
    PyErr_Clear();  // an int past sys.get_int_max_str_digits()
  }
  return PyUnicode_FromFormat("<%s>", _PyType_Name(Py_TYPE(key)));
}

// The dotted path of the current walk: module global, then attributes and items.
static PyObject *gl_walk_path(gl_walk *walk) {
  PyObject *text = PyUnicode_FromString("");
  for (int i = 0; text != NULL && i < walk->depth; i++) {
    gl_step *step = &walk->path[i];
    PyObject *next = NULL;
    switch (step->kind) {
    case GL_STEP_NAME:
      next = i == 0 ? PyUnicode_Concat(text, step->object)
                    : PyUnicode_FromFormat("%U.%U", text, step->object);
      break;
    case GL_STEP_CLOSURE:
      next = PyUnicode_FromFormat("%U.<closure>.%U", text, step->object);
      break;
    case GL_STEP_KEY: {
      PyObject *key = gl_key_text(step->object);
      next = key ? PyUnicode_FromFormat("%U[%U]", text, key) : NULL;
      Py_XDECREF(key);
      break;
    }
    case GL_STEP_INDEX:
      next = PyUnicode_FromFormat("%U[%zd]", text, step->index);
      break;
    }
    Py_DECREF(text);
    text = next;
  }
  return text;
}

static int gl_walk_value(gl_walk *walk, PyObject *value, gl_step step, int steps);

static int gl_walk_attribute(PyObject *name, PyObject *value, void *context) {
  gl_walk **pair = context;
  gl_walk *walk = pair[0];
  int steps = (int)(intptr_t)pair[1];
  return gl_walk_value(walk, value, (gl_step){GL_STEP_NAME, name, 0}, steps);
}

// The items of a list or tuple (their subclasses too: the storage is read, no __iter__).
static int gl_walk_items(gl_walk *walk, PyObject *value, int steps) {
  int status = 0;
  int is_list = PyList_Check(value);
  for (Py_ssize_t i = 0; status == 0 && i < GL_SCAN_ITEMS; i++) {
    Py_ssize_t size = is_list ? PyList_GET_SIZE(value) : PyTuple_GET_SIZE(value);
    if (i >= size) {
      break;
    }
    PyObject *item = is_list ? PyList_GET_ITEM(value, i) : PyTuple_GET_ITEM(value, i);
    status = gl_walk_value(walk, item, (gl_step){GL_STEP_INDEX, NULL, i}, steps);
  }
  return status;
}

// The cells of a function's closure (a decorator's `lock = threading.Lock()`), shown as
// `wrapper.<closure>.lock`.
static int gl_walk_closure(gl_walk *walk, PyObject *function, int steps) {
  PyObject *closure = PyFunction_GetClosure(function);  // borrowed
  if (closure == NULL || !PyTuple_Check(closure)) {
    return 0;
  }
  PyObject *names = PyCode_GetFreevars((PyCodeObject *)PyFunction_GetCode(function));  // new
  if (names == NULL) {
    PyErr_Clear();
    return 0;
  }
  int status = 0;
  for (Py_ssize_t i = 0; status == 0 && i < PyTuple_GET_SIZE(closure) &&
                         i < PyTuple_GET_SIZE(names) && i < GL_SCAN_ITEMS;
       i++) {
    PyObject *cell = PyTuple_GET_ITEM(closure, i);
    PyObject *contents = PyCell_Check(cell) ? PyCell_GET(cell) : NULL;
    if (contents != NULL) {
      status = gl_walk_value(
          walk, contents, (gl_step){GL_STEP_CLOSURE, PyTuple_GET_ITEM(names, i), 0}, steps);
    }
  }
  Py_DECREF(names);
  return status;
}

// The first GL_SCAN_ITEMS entries of a dict whose keys are str and not dunder names (a
// class's own attributes), or of any dict as items.
static int gl_walk_dict(gl_walk *walk, PyObject *dict, int steps, int as_attributes) {
  Py_ssize_t position = 0, count = 0;
  PyObject *key, *item;
  int status = 0;
  while (status == 0 && count < GL_SCAN_ITEMS && PyDict_Next(dict, &position, &key, &item)) {
    count++;
    if (!as_attributes) {
      status = gl_walk_value(walk, item, (gl_step){GL_STEP_KEY, key, 0}, steps);
    } else if (PyUnicode_Check(key) && !gl_is_dunder(key)) {
      status = gl_walk_value(walk, item, (gl_step){GL_STEP_NAME, key, 0}, steps);
    }
  }
  return status;
}

// Whether `value` was walked already; marks it walked. -1 on error.
static int gl_walked(gl_walk *walk, PyObject *value) {
  PyObject *address = PyLong_FromVoidPtr(value);
  if (address == NULL) {
    return -1;
  }
  int found = PySet_Contains(walk->seen, address);
  if (found == 0 && PySet_Add(walk->seen, address) < 0) {
    found = -1;
  }
  Py_DECREF(address);
  return found;
}

// Visits one value `steps` from the end of the walk. Reads only the interpreter's own
// storage: no attribute lookup, no __iter__, no __repr__ of the service's objects.
static int gl_walk_value(gl_walk *walk, PyObject *value, gl_step step, int steps) {
  if (walk->depth >= 8 || walk->values_left <= 0) {
    return 0;
  }
  walk->values_left--;
  walk->path[walk->depth++] = step;
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
  if (steps <= 0 || PyModule_Check(value) || PyUnicode_Check(value) || PyLong_Check(value) ||
      PyFloat_Check(value) || PyBytes_Check(value) || value == Py_None ||
      PyCFunction_Check(value) || (PyType_Check(value) && !gl_defined_in(value, walk->module))) {
    walk->depth--;
    return 0;
  }
  if (PyType_Check(value)) {
    // A class of the module: its class attributes (`_lock = threading.Lock()` in the body).
    status = gl_walk_dict(walk, ((PyTypeObject *)value)->tp_dict, steps - 1, 1);
  } else if (PyFunction_Check(value)) {
    status = gl_walk_closure(walk, value, steps - 1);
  } else {
    int walked = gl_walked(walk, value);
    if (walked < 0) {
      status = -1;
    } else if (!walked && PyDict_Check(value)) {
      status = gl_walk_dict(walk, value, steps - 1, 0);
    } else if (!walked && (PyList_Check(value) || PyTuple_Check(value))) {
      status = gl_walk_items(walk, value, steps - 1);
    } else if (!walked) {
      void *context[2] = {walk, (void *)(intptr_t)(steps - 1)};
      status = gl_instance_attributes(value, GL_SCAN_ITEMS, gl_walk_attribute, context);
    }
  }
  walk->depth--;
  return status;
}

PyObject *gl_scan_native_instances(PyObject *namespace, PyObject *module, PyObject *lock,
                                   PyObject *rlock, PyObject *local, int depth) {
  gl_walk walk = {{lock, rlock, local}, module, PyList_New(0), PySet_New(NULL), {{0}}, 0,
                  GL_SCAN_VALUES};
  if (walk.hits == NULL || walk.seen == NULL || !PyDict_Check(namespace)) {
    Py_XDECREF(walk.seen);
    return walk.hits;
  }
  int enabled = PyGC_Disable();  // no finalizer of the service's runs during the scan
  Py_ssize_t position = 0;
  PyObject *key, *value;
  int status = 0;
  while (status == 0 && PyDict_Next(namespace, &position, &key, &value)) {
    if (PyUnicode_Check(key) && !gl_is_dunder(key)) {
      status = gl_walk_value(&walk, value, (gl_step){GL_STEP_NAME, key, 0}, depth);
    }
  }
  if (enabled) {
    PyGC_Enable();
  }
  Py_DECREF(walk.seen);
  if (status < 0) {
    Py_CLEAR(walk.hits);
  }
  return walk.hits;
}
