// The run-time watch follows a hub the service installs: eventlet.hubs.use_hub, wrapped, runs
// on the thread that calls it (the only thread that can read its own hub), and moves the
// watch's timer and the watchdog's view to the new hub (gl_runtime.c). swift's run_server
// calls use_hub(get_hub()) after it patched, which would orphan everything on the old hub.
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include "gl_internal.h"

static PyObject *use_hub_original = NULL;  // eventlet.hubs.use_hub before the watch wrapped it

// Whether the calling thread has a hub now (eventlet.hubs._threadlocal.hub). GIL held.
static int gl_thread_has_hub(PyObject *hubs) {
  PyObject *local = PyObject_GetAttrString(hubs, "_threadlocal");  // new
  int has = local != NULL && PyObject_HasAttrString(local, "hub");
  Py_XDECREF(local);
  PyErr_Clear();
  return has;
}

// eventlet.hubs.use_hub, wrapped: calls the original, then, when the watched hub's thread
// replaced its hub, makes the new one (get_hub, as the service's next call would) and
// follows it. A thread that had no hub yet is left alone: get_hub itself calls use_hub()
// then, and making the hub here would make it twice.
static PyObject *gl_use_hub(PyObject *self, PyObject *arguments, PyObject *keywords) {
  (void)self;
  PyObject *hubs = PyImport_ImportModule("eventlet.hubs");  // new
  if (hubs == NULL) {
    return NULL;
  }
  int replacing = gl_runtime_watches_this_thread() && gl_thread_has_hub(hubs);
  PyObject *result = PyObject_Call(use_hub_original, arguments, keywords);
  if (result != NULL && replacing) {
    PyObject *new_hub = PyObject_CallMethod(hubs, "get_hub", NULL);  // new
    if (new_hub == NULL || gl_runtime_follow_hub(new_hub) != 0) {
      // The service's own call succeeded: it goes on, unwatched from here.
      PyErr_Clear();
    }
    Py_XDECREF(new_hub);
  }
  Py_DECREF(hubs);
  return result;
}

static PyMethodDef gl_use_hub_def = {
    "use_hub", (PyCFunction)(void (*)(void))gl_use_hub, METH_VARARGS | METH_KEYWORDS,
    "eventlet.hubs.use_hub, followed by greenlight's run-time watch."};

// Replaces eventlet.hubs.use_hub with the wrapper, once per process. GIL held.
void gl_wrap_use_hub(PyObject *hubs) {
  if (use_hub_original != NULL) {
    return;
  }
  PyObject *original = PyObject_GetAttrString(hubs, "use_hub");  // new
  PyObject *wrapper = original ? PyCFunction_NewEx(&gl_use_hub_def, NULL, NULL) : NULL;
  if (wrapper != NULL && PyObject_SetAttrString(hubs, "use_hub", wrapper) == 0) {
    use_hub_original = original;  // kept for the process's life
  } else {
    Py_XDECREF(original);
  }
  Py_XDECREF(wrapper);
  PyErr_Clear();
}
