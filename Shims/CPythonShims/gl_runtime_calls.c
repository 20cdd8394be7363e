// The run-time watch's view of the calls that start processes, without an audit hook. A C
// audit hook costs every audit event of the service for as long as it runs (CPython calls
// each hook for each event, with no filter): eventlet.wsgi alone raises about 110 events a
// request, most of them builtins.id. So after hand-off the watch sees the few calls it
// judges where they happen instead:
//
// - a fork (GL503): os.register_at_fork(before=...), which os.fork and os.forkpty run, on
//   the forking thread with the GIL held, before they fork;
// - a native Popen on the hub's thread (GL202): sys.audit, wrapped while the hub is watched.
//   subprocess's _execute_child raises "subprocess.Popen" through it (`sys.audit(...)`,
//   read from the module at each call) before either of its ways to start the child;
// - os.system on the hub's thread (GL202): libc's system(), interposed by the executable as
//   pthread_create is (gl_observe.c). os.system calls it with the GIL released.
#define _GNU_SOURCE
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <dlfcn.h>
#include <stdlib.h>
#include <string.h>

#include "gl_internal.h"

static PyObject *green_popen = NULL;     // eventlet.green.subprocess.Popen
static PyObject *original_audit = NULL;  // sys.audit as sys defined it
static PyObject *audit_wrapper = NULL;   // what sys.audit is while the hub is watched

// Whether the innermost Python frame is subprocess's Popen._execute_child: the frame that
// raises "subprocess.Popen", and the one that forks when a preexec_fn is given. GIL held.
static int gl_in_execute_child(PyCodeObject **code) {
  gl_frame_cursor cursor = gl_frames_here();
  int line;
  if (!gl_frames_next(&cursor, code, &line)) {
    return 0;
  }
  const char *file = PyUnicode_AsUTF8((*code)->co_filename);
  const char *name = PyUnicode_AsUTF8((*code)->co_name);
  size_t length = file ? strlen(file) : 0;
  PyErr_Clear();
  return name != NULL && strcmp(name, "_execute_child") == 0 && length >= 13 &&
         strcmp(file + length - 13, "subprocess.py") == 0;
}

// MARK: forks (GL503)

// The before-fork handler: the other OS threads alive, with the fork's stack. A fork with
// none is no hazard and not reported. subprocess's own fork for a preexec_fn is not an
// os.fork call of the service's: the watch judges os.fork and os.forkpty, as it did from
// their audit events.
static PyObject *gl_before_fork(PyObject *self, PyObject *unused) {
  (void)self;
  (void)unused;
  PyCodeObject *code;
  if (!gl_runtime_watches_threads() || gl_in_execute_child(&code)) {
    Py_RETURN_NONE;
  }
  gl_runtime_record record;
  memset(&record, 0, sizeof record);
  record.event.kind = GL_RUNTIME_FORK;
  if (gl_fill_fork_threads(&record.event, gl_runtime_watchdog_tid()) > 0) {
    gl_fill_current_stack(&record);
    gl_runtime_deliver(&record.event);
  }
  PyErr_Clear();
  Py_RETURN_NONE;
}

PyMethodDef gl_before_fork_def = {"greenlight_watch_before_fork", gl_before_fork, METH_NOARGS,
                                  NULL};

// MARK: process calls on the hub's thread (GL202)

static void gl_process_call(const char *what) {
  gl_runtime_record record;
  memset(&record, 0, sizeof record);
  record.event.kind = GL_RUNTIME_PROCESS_CALL;
  record.event.what = what;
  gl_fill_current_stack(&record);
  gl_runtime_deliver(&record.event);
}

// A Popen starts on the hub's thread: green or native, by the class of the Popen being
// started (`self` of _execute_child). In the service's own call: Python may run here.
static void gl_popen_started(void) {
  PyCodeObject *code;
  PyFrameObject *frame = PyEval_GetFrame();  // borrowed: Popen._execute_child
  if (frame == NULL || green_popen == NULL || !gl_in_execute_child(&code)) {
    return;
  }
  PyObject *locals = PyFrame_GetLocals(frame);                               // new
  PyObject *self = locals ? PyMapping_GetItemString(locals, "self") : NULL;  // new
  Py_XDECREF(locals);
  int green = self != NULL && PyObject_IsInstance(self, green_popen) == 1;
  Py_XDECREF(self);
  PyErr_Clear();
  if (!green) {
    gl_process_call("subprocess.Popen");
  }
}

// sys.audit, wrapped: looks at the event's name, then calls sys's own function with the
// same arguments, whose answer (and errors) are the caller's.
static PyObject *gl_audit_call(PyObject *module, PyObject *const *arguments,
                               Py_ssize_t count, PyObject *keywords) {
  (void)module;
  if (count > 0 && PyUnicode_Check(arguments[0]) && gl_runtime_watches_this_thread() &&
      PyUnicode_CompareWithASCIIString(arguments[0], "subprocess.Popen") == 0) {
    gl_popen_started();
  }
  return PyObject_Vectorcall(original_audit, arguments, (size_t)count, keywords);
}

static PyMethodDef gl_audit_def = {
    "audit", (PyCFunction)(void (*)(void))gl_audit_call, METH_FASTCALL | METH_KEYWORDS,
    "audit(event, *args)\n\nPasses the event to any audit hooks that are attached."};  // sys's own

// libc's system(), interposed for the whole process. On the hub's thread, while the watch
// runs, the caller's stack is read first: the thread gives up the GIL for the call, so it
// takes it back for the read.
int system(const char *command) {
  static int (*real)(const char *) = NULL;
  if (real == NULL) {
    real = (int (*)(const char *))dlsym(RTLD_NEXT, "system");
  }
  if (gl_runtime_active && command != NULL && gl_runtime_watches_this_thread() &&
      Py_IsInitialized() && !_Py_IsFinalizing()) {
    PyGILState_STATE state = PyGILState_Ensure();
    PyCodeObject *code;
    int line;
    gl_frame_cursor cursor = gl_frames_here();
    if (gl_runtime_watches_this_thread() && gl_frames_next(&cursor, &code, &line)) {
      gl_process_call("os.system");
    }
    PyGILState_Release(state);
  }
  return real(command);
}

// MARK: start and stop (GIL held)

int gl_process_calls_watch(void) {
  if (audit_wrapper != NULL) {
    return 0;
  }
  PyObject *subprocess = PyImport_ImportModule("eventlet.green.subprocess");  // new
  green_popen = subprocess ? PyObject_GetAttrString(subprocess, "Popen") : NULL;
  Py_XDECREF(subprocess);
  PyObject *sys = green_popen ? PyImport_ImportModule("sys") : NULL;  // new
  original_audit = sys ? PyObject_GetAttrString(sys, "audit") : NULL;
  PyObject *name = original_audit ? PyUnicode_FromString("sys") : NULL;  // new
  // Bound to the sys module, as sys's own: it shows as <built-in function audit>.
  audit_wrapper = name ? PyCFunction_NewEx(&gl_audit_def, sys, name) : NULL;
  int status = audit_wrapper ? PyObject_SetAttrString(sys, "audit", audit_wrapper) : -1;
  Py_XDECREF(name);
  Py_XDECREF(sys);
  if (status != 0) {
    Py_CLEAR(audit_wrapper);
    Py_CLEAR(original_audit);
    Py_CLEAR(green_popen);
  }
  return status;
}

void gl_process_calls_stop(void) {
  if (audit_wrapper == NULL) {
    return;
  }
  PyObject *sys = PyImport_ImportModule("sys");  // new
  PyObject *now = sys ? PyObject_GetAttrString(sys, "audit") : NULL;
  if (now == audit_wrapper) {  // the service's own sys.audit, should it set one, stays
    PyObject_SetAttrString(sys, "audit", original_audit);
  }
  Py_XDECREF(now);
  Py_XDECREF(sys);
  PyErr_Clear();
  Py_CLEAR(audit_wrapper);
  Py_CLEAR(original_audit);
  Py_CLEAR(green_popen);
}
