// Where a process that nothing patched started an eventlet hub (GL601): the first call of
// eventlet.hubs.get_hub() that makes the calling thread's hub, with its Python stack.
// A green thread spawned, a green lock that waits or eventlet.sleep all go through it.
//
// eventlet.hubs is wrapped as soon as it has defined get_hub: the audit hook calls
// gl_native_hub_on_import at every "import" event while the watch is on, until then. The
// wrapper replaces the module's get_hub, which eventlet's own modules read at call time
// (`hubs.get_hub()`) or import after eventlet.hubs is complete (eventlet.timeout).
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include "gl_internal.h"
#include "gl_python.h"

volatile int gl_native_hub_watching = 0;
static PyObject *original_get_hub = NULL;  // eventlet.hubs.get_hub before the wrap
static PyObject *thread_local = NULL;      // eventlet.hubs._threadlocal
static PyObject *wrapper = NULL;           // the wrapping function, while it is in place
static int recorded = 0;
static int frame_count = 0;
static PyObject *files[GL_MAX_FRAMES];
static int lines[GL_MAX_FRAMES];
static PyObject *functions[GL_MAX_FRAMES];

// Records the stack of the first call that makes a thread's hub (the calling thread has no
// `hub` on eventlet's thread local yet: read in C, no Python code runs); then only forwards.
static PyObject *gl_native_get_hub(PyObject *self, PyObject *const *args, size_t nargs,
                                   PyObject *names) {
  (void)self;
  if (!recorded && thread_local != NULL && !PyObject_HasAttrString(thread_local, "hub")) {
    recorded = 1;
    gl_frame_cursor cursor = gl_frames_here();
    PyCodeObject *code;
    int line;
    while (frame_count < GL_MAX_FRAMES && gl_frames_next(&cursor, &code, &line)) {
      files[frame_count] = Py_NewRef(code->co_filename);
      functions[frame_count] = Py_NewRef(code->co_name);
      lines[frame_count++] = line;
    }
  }
  return PyObject_Vectorcall(original_get_hub, args, nargs, names);
}

static PyMethodDef gl_native_get_hub_def = {
    "get_hub", (PyCFunction)(void (*)(void))gl_native_get_hub, METH_FASTCALL | METH_KEYWORDS,
    "eventlet.hubs.get_hub, wrapped by greenlight to see where a hub starts unpatched."};

void gl_native_hub_watch(void) { gl_native_hub_watching = 1; }

void gl_native_hub_on_import(void) {
  static PyObject *name = NULL;
  if (name == NULL && (name = PyUnicode_InternFromString("eventlet.hubs")) == NULL) {
    PyErr_Clear();
    return;
  }
  PyObject *hubs = PyImport_GetModule(name);  // new, or NULL
  PyObject *get_hub = hubs ? PyObject_GetAttrString(hubs, "get_hub") : NULL;    // new
  PyObject *local = get_hub ? PyObject_GetAttrString(hubs, "_threadlocal") : NULL;  // new
  PyObject *made = NULL;
  if (local != NULL && PyCallable_Check(get_hub) &&
      (made = PyCFunction_NewEx(&gl_native_get_hub_def, NULL, NULL)) != NULL &&
      PyObject_SetAttrString(hubs, "get_hub", made) == 0) {
    original_get_hub = Py_NewRef(get_hub);
    thread_local = Py_NewRef(local);
    wrapper = Py_NewRef(made);
    gl_native_hub_watching = 0;  // wrapped: nothing more to look for
  }
  Py_XDECREF(made);
  Py_XDECREF(local);
  Py_XDECREF(get_hub);
  Py_XDECREF(hubs);
  PyErr_Clear();
}

void gl_native_hub_stop(void) {
  gl_native_hub_watching = 0;
  if (wrapper == NULL) {
    return;
  }
  PyObject *hubs = PyImport_ImportModule("eventlet.hubs");  // new
  PyObject *current = hubs ? PyObject_GetAttrString(hubs, "get_hub") : NULL;  // new
  if (current == wrapper) {
    PyObject_SetAttrString(hubs, "get_hub", original_get_hub);
  }
  Py_XDECREF(current);
  Py_XDECREF(hubs);
  PyErr_Clear();
  recorded = 1;  // a hub made from here on is a patched process's own
}

int gl_native_hub_frame_count(void) { return frame_count; }

PyObject *gl_native_hub_frame_file(int frame) { return files[frame]; }

int gl_native_hub_frame_line(int frame) { return lines[frame]; }

PyObject *gl_native_hub_frame_function(int frame) { return functions[frame]; }
