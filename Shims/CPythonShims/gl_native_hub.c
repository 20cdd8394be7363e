// Where a process that nothing patched first ran something green (GL601): the first call of
// eventlet.hubs.get_hub() that makes the calling thread's hub (a green thread spawned, a
// green lock that waits and eventlet.sleep all go through it), and the first
// eventlet.semaphore.Semaphore.acquire, which reaches no hub when it does not wait
// (eventlet.lock.Lock, BoundedSemaphore, CappedSemaphore and `with sem:` all call it).
// Each record keeps its Python stack and its order: the finding is at the first use.
//
// eventlet.hubs and eventlet.semaphore are wrapped as soon as they have defined get_hub and
// Semaphore: the audit hook calls gl_native_hub_on_import at every "import" event while
// the watch is on, until both are. The get_hub wrapper replaces the module's get_hub,
// which eventlet's own modules read at call time (`hubs.get_hub()`) or import after
// eventlet.hubs is complete (eventlet.timeout). The acquire wrapper is a C function bound
// as a method by an instancemethod (PyInstanceMethod_New), set on the class: it has no
// frame of its own, so the walk starts at the caller's. An acquire inside
// eventlet.patcher.inject is eventlet building a green module and is not recorded. Once a
// use is recorded, each wrapper that has nothing more to see puts eventlet's own function
// back.
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include "gl_internal.h"
#include "gl_python.h"

volatile int gl_native_hub_watching = 0;

// One recorded use: its order among the uses (1 first; 0 while not seen), what it was
// (the hub's type name, or the lock's class as module.qualname) and its stack.
typedef struct {
  int order;
  PyObject *what;
  int frame_count;
  PyObject *files[GL_MAX_FRAMES];
  int lines[GL_MAX_FRAMES];
  PyObject *functions[GL_MAX_FRAMES];
} gl_green_use;

static gl_green_use uses[2];  // by GL_NATIVE_HUB_START, GL_NATIVE_LOCK_ACQUIRE
static int uses_recorded = 0;
static int stopped = 0;  // the service patched: a use from then on is a patched process's

static PyObject *original_get_hub = NULL;  // eventlet.hubs.get_hub before the wrap
static PyObject *hubs_module = NULL;       // eventlet.hubs
static PyObject *thread_local = NULL;      // eventlet.hubs._threadlocal
static PyObject *get_hub_wrapper = NULL;   // the wrapping function, while it is in place

static PyObject *original_acquire = NULL;  // Semaphore.acquire before the wrap
static PyObject *semaphore_class = NULL;   // eventlet.semaphore.Semaphore
static PyObject *acquire_wrapper = NULL;   // the instancemethod, while it is in place

// sys.modules[name] when it is a module (a new reference), else NULL; no exception.
static PyObject *gl_loaded_module(const char *name) {
  PyObject *key = PyUnicode_FromString(name);             // new
  PyObject *found = key ? PyImport_GetModule(key) : NULL;  // new, or NULL
  Py_XDECREF(key);
  if (found != NULL && !PyModule_Check(found)) {
    Py_CLEAR(found);
  }
  PyErr_Clear();
  return found;
}

// A module's own dict entry (borrowed: the module keeps it), or NULL: no exception while
// the module is still running and has not defined it yet.
static PyObject *gl_module_item(PyObject *module, const char *name) {
  PyObject *item = module ? PyDict_GetItemString(PyModule_GetDict(module), name) : NULL;
  PyErr_Clear();
  return item;
}

// Records the calling thread's Python stack (innermost first) and the use's order.
static void gl_record_use(gl_green_use *use) {
  use->order = ++uses_recorded;
  gl_frame_cursor cursor = gl_frames_here();
  PyCodeObject *code;
  int line;
  while (use->frame_count < GL_MAX_FRAMES && gl_frames_next(&cursor, &code, &line)) {
    use->files[use->frame_count] = Py_NewRef(code->co_filename);
    use->functions[use->frame_count] = Py_NewRef(code->co_name);
    use->lines[use->frame_count++] = line;
  }
}

// Puts eventlet's own get_hub back in eventlet.hubs, unless something else replaced it.
static void gl_restore_get_hub(void) {
  if (get_hub_wrapper == NULL) {
    return;
  }
  PyObject *current = PyDict_GetItemString(PyModule_GetDict(hubs_module), "get_hub");
  if (current == get_hub_wrapper) {
    PyObject_SetAttrString(hubs_module, "get_hub", original_get_hub);
  }
  Py_CLEAR(get_hub_wrapper);  // a module that imported it keeps a forwarder
  PyErr_Clear();
}

// Puts eventlet's own Semaphore.acquire back, unless something else replaced it.
static void gl_restore_acquire(void) {
  if (acquire_wrapper == NULL) {
    return;
  }
  PyObject *current = PyDict_GetItemString(((PyTypeObject *)semaphore_class)->tp_dict, "acquire");
  if (current == acquire_wrapper) {
    PyObject_SetAttrString(semaphore_class, "acquire", original_acquire);
  }
  Py_CLEAR(acquire_wrapper);  // a bound method made meanwhile keeps a forwarder
  PyErr_Clear();
}

// Records the stack of the first call that makes a thread's hub (the calling thread has no
// `hub` on eventlet's thread local yet: read in C, no Python code runs), then puts both
// originals back: the hub came first, or after the first lock. Always forwards.
static PyObject *gl_native_get_hub(PyObject *self, PyObject *const *args, Py_ssize_t nargs,
                                   PyObject *names) {
  (void)self;
  gl_green_use *use = &uses[GL_NATIVE_HUB_START];
  int records = !stopped && use->order == 0 && thread_local != NULL &&
                !PyObject_HasAttrString(thread_local, "hub");
  if (records) {
    gl_record_use(use);
    gl_restore_get_hub();
    gl_restore_acquire();
  }
  PyObject *hub = PyObject_Vectorcall(original_get_hub, args, nargs, names);
  if (records && hub != NULL && (use->what = PyUnicode_FromString(Py_TYPE(hub)->tp_name)) == NULL) {
    PyErr_Clear();
  }
  return hub;
}

static PyMethodDef gl_native_get_hub_def = {
    "get_hub", (PyCFunction)(void (*)(void))gl_native_get_hub, METH_FASTCALL | METH_KEYWORDS,
    "eventlet.hubs.get_hub, wrapped by greenlight to see where a hub starts unpatched."};

// `module.qualname` of a class, read from its own dict and its heap type (no getattr: a
// metaclass's __getattribute__ is the service's code). A new reference, or NULL.
static PyObject *gl_class_path(PyTypeObject *type) {
  PyObject *module = type->tp_dict ? PyDict_GetItemString(type->tp_dict, "__module__") : NULL;
  if ((type->tp_flags & Py_TPFLAGS_HEAPTYPE) && module != NULL && PyUnicode_Check(module)) {
    return PyUnicode_FromFormat("%U.%U", module, ((PyHeapTypeObject *)type)->ht_qualname);
  }
  return PyUnicode_FromString(type->tp_name);
}

// Whether the calling thread runs inside eventlet.patcher.inject, which imports a copy of
// a standard module with green ones in its place (eventlet.green.threading does, and so
// `from eventlet.green import threading` in futurist): the copy's import acquires green
// locks of its own (threading's _MainThread() takes its _tstate_lock), which is eventlet
// building a module, not the service using a lock. Walks the whole stack, allocating
// nothing; found once eventlet.patcher is loaded (eventlet's __init__ imports it).
static int gl_in_patcher_inject(void) {
  static PyObject *inject_code = NULL;  // eventlet.patcher.inject.__code__
  if (inject_code == NULL) {
    PyObject *module = gl_loaded_module("eventlet.patcher");  // new
    PyObject *inject = gl_module_item(module, "inject");
    if (inject != NULL && PyFunction_Check(inject)) {
      inject_code = Py_NewRef(PyFunction_GET_CODE(inject));
    }
    Py_XDECREF(module);
    if (inject_code == NULL) {
      return 0;
    }
  }
  gl_frame_cursor cursor = gl_frames_here();
  PyCodeObject *code;
  int line;
  while (gl_frames_next(&cursor, &code, &line)) {
    if ((PyObject *)code == inject_code) {
      return 1;
    }
  }
  return 0;
}

// Records the stack of the first acquire of a green lock, unless a hub was seen first,
// then puts eventlet's acquire back. Always forwards (args[0] is the lock).
static PyObject *gl_native_acquire(PyObject *self, PyObject *const *args, Py_ssize_t nargs,
                                   PyObject *names) {
  (void)self;
  gl_green_use *use = &uses[GL_NATIVE_LOCK_ACQUIRE];
  if (!stopped && use->order == 0 && uses[GL_NATIVE_HUB_START].order == 0 && nargs > 0 &&
      !gl_in_patcher_inject()) {
    gl_record_use(use);
    if ((use->what = gl_class_path(Py_TYPE(args[0]))) == NULL) {
      PyErr_Clear();
    }
    gl_restore_acquire();
  }
  return PyObject_Vectorcall(original_acquire, args, nargs, names);
}

static PyMethodDef gl_native_acquire_def = {
    "acquire", (PyCFunction)(void (*)(void))gl_native_acquire, METH_FASTCALL | METH_KEYWORDS,
    "eventlet.semaphore.Semaphore.acquire, wrapped by greenlight to see where a green lock is"
    " used unpatched."};

static void gl_wrap_get_hub(void) {
  PyObject *module = gl_loaded_module("eventlet.hubs");  // new
  PyObject *get_hub = gl_module_item(module, "get_hub");
  PyObject *local = gl_module_item(module, "_threadlocal");
  PyObject *made = get_hub != NULL && local != NULL && PyCallable_Check(get_hub)
                       ? PyCFunction_NewEx(&gl_native_get_hub_def, NULL, NULL)
                       : NULL;
  if (made != NULL) {
    original_get_hub = Py_NewRef(get_hub);  // the module's reference goes with the setattr
    if (PyObject_SetAttrString(module, "get_hub", made) == 0) {
      thread_local = Py_NewRef(local);
      hubs_module = Py_NewRef(module);
      get_hub_wrapper = Py_NewRef(made);
    } else {
      Py_CLEAR(original_get_hub);
    }
  }
  Py_XDECREF(made);
  Py_XDECREF(module);
  PyErr_Clear();
}

static void gl_wrap_acquire(void) {
  PyObject *module = gl_loaded_module("eventlet.semaphore");  // new
  PyObject *semaphore = gl_module_item(module, "Semaphore");
  PyObject *acquire = semaphore != NULL && PyType_Check(semaphore)
                          ? PyDict_GetItemString(((PyTypeObject *)semaphore)->tp_dict, "acquire")
                          : NULL;
  if (acquire == NULL || !PyFunction_Check(acquire)) {
    Py_XDECREF(module);
    PyErr_Clear();
    return;
  }
  Py_INCREF(semaphore);  // past the module's reference, which the lines below no longer need
  Py_DECREF(module);
  PyObject *function = PyCFunction_NewEx(&gl_native_acquire_def, NULL, NULL);  // new
  PyObject *method = function ? PyInstanceMethod_New(function) : NULL;      // new
  original_acquire = Py_NewRef(acquire);  // the class's reference goes with the setattr
  if (method != NULL && PyObject_SetAttrString(semaphore, "acquire", method) == 0) {
    semaphore_class = Py_NewRef(semaphore);
    acquire_wrapper = Py_NewRef(method);
  } else {
    Py_CLEAR(original_acquire);
  }
  Py_XDECREF(method);
  Py_XDECREF(function);
  Py_DECREF(semaphore);
  PyErr_Clear();
}

void gl_native_hub_watch(void) { gl_native_hub_watching = 1; }

void gl_native_hub_on_import(void) {
  if (stopped) {
    gl_native_hub_watching = 0;
    return;
  }
  if (original_get_hub == NULL) {
    gl_wrap_get_hub();
  }
  if (original_acquire == NULL) {
    gl_wrap_acquire();
  }
  if (original_get_hub != NULL && original_acquire != NULL) {
    gl_native_hub_watching = 0;  // both wrapped: nothing more to look for
  }
}

void gl_native_hub_stop(void) {
  gl_native_hub_watching = 0;
  stopped = 1;  // a hub or a lock from here on is a patched process's own
  gl_restore_get_hub();
  gl_restore_acquire();
}

int gl_native_use_order(int kind) { return uses[kind].order; }

PyObject *gl_native_use_what(int kind) { return uses[kind].what; }

int gl_native_use_frame_count(int kind) { return uses[kind].frame_count; }

PyObject *gl_native_use_frame_file(int kind, int frame) { return uses[kind].files[frame]; }

int gl_native_use_frame_line(int kind, int frame) { return uses[kind].lines[frame]; }

PyObject *gl_native_use_frame_function(int kind, int frame) {
  return uses[kind].functions[frame];
}
