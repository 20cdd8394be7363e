// Observation from the first instruction: an audit hook (first imports, tracers), a
// pthread_create interposer (native threads with their Python start site), and a watch on
// eventlet.patcher.monkey_patch (every call, its arguments and call site, with callbacks
// into Swift just before and just after it runs). Events are kept in one array, read by
// Swift with the GIL held.
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <frameobject.h>
// The interpreter's own frame stack (tstate->cframe->current_frame), walked without creating
// frame objects. Internal to CPython 3.11, so only this file sees it.

#include <dlfcn.h>
#include <malloc.h>
#include <pthread.h>
#include <string.h>

#include "gl_internal.h"
#include "gl_python.h"

typedef struct {
  gl_event_kind kind;
  PyObject *subject;       // str: module name, tracer name; or the kwargs dict of a patch call
  unsigned long thread;    // native thread id (pthread_t), for thread events
  int frame_count;
  PyObject *files[GL_MAX_FRAMES];
  int lines[GL_MAX_FRAMES];
  PyObject *functions[GL_MAX_FRAMES];
} gl_event;

static gl_event *events = NULL;
static gl_recording recording = GL_RECORD_STACKS;
static size_t event_count = 0, event_capacity = 0;
static gl_patch_callback before_patch = NULL, after_patch = NULL;
static PyObject *watch_finder = NULL;  // the finder in sys.meta_path, until gl_watch_stop

// Whether a code object's file is one of importlib's frozen modules ("<frozen ...>"), read
// character by character: PyUnicode_AsUTF8 would allocate its UTF-8 copy.
static int gl_is_frozen(PyObject *file) {
  static const char prefix[] = "<frozen ";
  if (!PyUnicode_Check(file) || PyUnicode_GET_LENGTH(file) < (Py_ssize_t)sizeof prefix - 1) {
    return 0;
  }
  for (Py_ssize_t i = 0; i < (Py_ssize_t)sizeof prefix - 1; i++) {
    if (PyUnicode_READ_CHAR(file, i) != (Py_UCS4)prefix[i]) {
      return 0;
    }
  }
  return 1;
}

// Fills `event` with the current Python stack, innermost first, importlib's frozen frames
// skipped. Allocates nothing (gl_frames.c), so it can neither run the cyclic GC (whose
// finalizers may raise audit events or start threads, re-entering the hooks) nor fail.
static void gl_fill_stack(gl_event *event) {
  gl_frame_cursor cursor = gl_frames_here();
  PyCodeObject *code;
  int line;
  while (event->frame_count < GL_MAX_FRAMES && gl_frames_next(&cursor, &code, &line)) {
    if (gl_is_frozen(code->co_filename)) {
      continue;
    }
    int index = event->frame_count++;
    event->files[index] = Py_NewRef(code->co_filename);
    event->lines[index] = line;
    event->functions[index] = Py_NewRef(code->co_name);
  }
}

// Whether the calling thread runs Python code, read without making a frame object.
static int gl_in_python(void) {
  gl_frame_cursor cursor = gl_frames_here();
  PyCodeObject *code;
  int line;
  return gl_frames_next(&cursor, &code, &line);
}

// Appends a complete event (its references move into the array) and returns its index, or
// -1 when memory runs out. Runs no Python, so no hook can re-enter while the array may
// move; callers keep the index, never a pointer into the array.
static long gl_append(gl_event *event) {
  if (event_count == event_capacity) {
    size_t capacity = event_capacity ? event_capacity * 2 : 1024;
    gl_event *grown = PyMem_RawRealloc(events, capacity * sizeof(gl_event));
    if (grown == NULL) {
      Py_XDECREF(event->subject);
      for (int i = 0; i < event->frame_count; i++) {
        Py_DECREF(event->files[i]);
        Py_DECREF(event->functions[i]);
      }
      return -1;
    }
    events = grown;
    event_capacity = capacity;
  }
  events[event_count] = *event;
  return (long)event_count++;
}

// Records an event with the current Python stack: built in a local record first, then
// appended. Safe to re-enter (a hook firing inside another's recording only appends first).
// Requires the GIL.
static long gl_record(gl_event_kind kind, PyObject *subject, unsigned long thread) {
  gl_event event;
  memset(&event, 0, sizeof event);
  event.kind = kind;
  event.subject = Py_XNewRef(subject);
  event.thread = thread;
  if (recording == GL_RECORD_STACKS || kind == GL_EVENT_PATCH_CALL ||
      kind == GL_EVENT_ORIGINAL) {
    gl_fill_stack(&event);
  }
  return gl_append(&event);
}

// The audit hook. Compares C strings before anything else: monkey_patch() alone raises
// about 100k "builtins.id" events.
static int gl_audit(const char *name, PyObject *arguments, void *unused) {
  (void)unused;
  if (gl_native_hub_watching && name[0] == 'i' && strcmp(name, "import") == 0) {
    gl_native_hub_on_import();
  }
  if (recording == GL_RECORD_OFF) {
    return 0;
  }
  if (name[0] == 'i' && strcmp(name, "import") == 0) {
    PyObject *module = PyTuple_Size(arguments) > 0 ? PyTuple_GetItem(arguments, 0) : NULL;
    if (module != NULL && PyUnicode_Check(module)) {
      gl_record(GL_EVENT_IMPORT, module, 0);
    }
  } else if (name[0] == 's' &&
             (strcmp(name, "sys.settrace") == 0 || strcmp(name, "sys.setprofile") == 0)) {
    PyObject *subject = PyUnicode_FromString(name);
    if (subject != NULL) {
      gl_record(GL_EVENT_TRACER, subject, 0);
      Py_DECREF(subject);
    }
  }
  return 0;
}

static int hook_installed = 0;

int gl_observe_install(void) {
  int status = PySys_AddAuditHook(gl_audit, NULL);
  if (status == 0) {
    hook_installed = 1;
  }
  return status;
}

int gl_observe_installed(void) { return hook_installed; }

void gl_observe_uninstall(void) {
  if (hook_installed && gl_audit_hook_remove(gl_audit)) {
    hook_installed = 0;
  }
}

void gl_observe_record(gl_recording level) { recording = level; }

// MARK: native threads

typedef int (*gl_pthread_create_fn)(pthread_t *, const pthread_attr_t *, void *(*)(void *),
                                    void *);

// Interposes libc's pthread_create for the whole process (the executable exports it), so
// every native thread is seen, including those started through
// eventlet.patcher.original('_thread'). When Python starts the thread the calling thread
// holds the GIL and the start site is on its stack.
int pthread_create(pthread_t *thread, const pthread_attr_t *attributes,
                   void *(*start)(void *), void *argument) {
  static gl_pthread_create_fn real = NULL;
  if (real == NULL) {
    real = (gl_pthread_create_fn)dlsym(RTLD_NEXT, "pthread_create");
  }
  int status = real(thread, attributes, start, argument);
  if (status == 0 && gl_runtime_active) {
    gl_runtime_note_threads();
  }
  // gl_in_python, not PyEval_GetFrame: a frame object allocated here could run the
  // cyclic GC, whose finalizers may start threads and re-enter this function.
  if (status == 0 && Py_IsInitialized() && PyGILState_Check() && gl_in_python()) {
    if (gl_runtime_active) {
      gl_runtime_thread_started((unsigned long)*thread);
    }
    if (recording != GL_RECORD_OFF) {
      gl_record(GL_EVENT_THREAD, NULL, (unsigned long)*thread);
    }
  }
  return status;
}

// MARK: monkey_patch watch

// The wrapper that replaces eventlet.patcher.monkey_patch: `self` is the original.
static PyObject *gl_monkey_patch(PyObject *original, PyObject *arguments, PyObject *keywords) {
  PyObject *recorded = keywords ? PyDict_Copy(keywords) : PyDict_New();
  if (recorded == NULL) {
    return NULL;
  }
  // An index: the callbacks and the call run Python, which may record events and move the
  // array.
  long index = gl_record(GL_EVENT_PATCH_CALL, recorded, 0);
  Py_DECREF(recorded);
  int refusal = 0;
  if (index >= 0 && before_patch != NULL) {
    refusal = before_patch((size_t)index);
  }
  // The original runs without the audit hook: no judgement reads an event of eventlet's
  // own work inside the call (the instant is judged from what came before it, and from the
  // objects the patch left), and monkey_patch raises about 110k of them (builtins.id),
  // 1.5 ms of a start-up. The hook is back for after_patch and the service's next line.
  int unhooked = !refusal && hook_installed;
  if (unhooked) {
    gl_observe_uninstall();
    unhooked = !hook_installed;
  }
  PyObject *result = refusal ? NULL : PyObject_Call(original, arguments, keywords);
  if (unhooked) {
    PyObject *type, *value, *traceback;
    PyErr_Fetch(&type, &value, &traceback);
    if (gl_observe_install() != 0) {
      PyErr_Clear();  // a hook of the service's refused it: nothing more is observed
    }
    PyErr_Restore(type, value, traceback);
  }
  if (!refusal && index >= 0 && after_patch != NULL) {
    PyObject *type, *value, *traceback;
    PyErr_Fetch(&type, &value, &traceback);
    refusal = after_patch((size_t)index);
    PyErr_Restore(type, value, traceback);
  }
  if (refusal) {
    Py_XDECREF(result);
    PyObject *status = PyLong_FromLong(refusal);
    if (status != NULL) {
      PyErr_SetObject(PyExc_SystemExit, status);
      Py_DECREF(status);
    }
    return NULL;
  }
  return result;
}

static PyMethodDef gl_monkey_patch_def = {
    "monkey_patch", (PyCFunction)(void (*)(void))gl_monkey_patch, METH_VARARGS | METH_KEYWORDS,
    "eventlet.monkey_patch, watched by greenlight: every call is recorded with its call site."};

// The wrapper that replaces eventlet.patcher.original: `self` is the original. Records what
// it handed out, with the caller's stack, so that objects a library takes from a pristine
// module on purpose (oslo.log's pipe_mutex) are not judged stale. The record is made after
// the call, so eventlet's own nested calls come first; nothing is recorded when off.
static PyObject *gl_original(PyObject *original, PyObject *arguments, PyObject *keywords) {
  PyObject *result = PyObject_Call(original, arguments, keywords);
  if (result == NULL || recording == GL_RECORD_OFF) {
    return result;
  }
  PyObject *name = PyTuple_Size(arguments) > 0 ? PyTuple_GetItem(arguments, 0) : NULL;
  if (name == NULL && keywords != NULL) {
    name = PyDict_GetItemString(keywords, "modname");  // borrowed
  }
  PyObject *subject = PyTuple_New(2);
  if (subject == NULL) {
    PyErr_Clear();  // the service's call succeeded; only the record is lost
    return result;
  }
  PyTuple_SET_ITEM(subject, 0, Py_NewRef(name != NULL ? name : Py_None));
  PyTuple_SET_ITEM(subject, 1, Py_NewRef(result));
  gl_record(GL_EVENT_ORIGINAL, subject, 0);
  Py_DECREF(subject);
  return result;
}

static PyMethodDef gl_original_def = {
    "original", (PyCFunction)(void (*)(void))gl_original, METH_VARARGS | METH_KEYWORDS,
    "eventlet.patcher.original, watched by greenlight: what it hands out is recorded."};

// Replaces module.name with a C wrapper whose `self` is the current value.
static int gl_wrap(PyObject *module, const char *name, PyMethodDef *definition) {
  PyObject *original = PyObject_GetAttrString(module, name);
  if (original == NULL) {
    return -1;
  }
  PyObject *wrapper = PyCFunction_NewEx(definition, original, NULL);
  Py_DECREF(original);
  if (wrapper == NULL) {
    return -1;
  }
  int status = PyObject_SetAttrString(module, name, wrapper);
  Py_DECREF(wrapper);
  return status;
}

// Called by the watch's loader right after eventlet.patcher has executed: monkey_patch and
// original are wrapped before eventlet/__init__ or anyone else binds them.
static PyObject *gl_after_patcher(PyObject *unused, PyObject *module) {
  (void)unused;
  if (gl_wrap(module, "monkey_patch", &gl_monkey_patch_def) < 0 ||
      gl_wrap(module, "original", &gl_original_def) < 0) {
    return NULL;
  }
  Py_RETURN_NONE;
}

static PyMethodDef gl_after_patcher_def = {"after_patcher", gl_after_patcher, METH_O, NULL};

// The watch's meta path finder is Python (a finder and a loader must be Python classes), and
// greenlight's Swift side hands over its code object (Python/watch.py, compiled at build
// time); it receives after_patcher in its namespace once it has run.
int gl_watch_install(PyObject *code, gl_patch_callback before, gl_patch_callback after) {
  before_patch = before;
  after_patch = after;
  PyObject *namespace = PyDict_New();
  if (namespace == NULL) {
    return -1;
  }
  PyObject *callback = PyCFunction_NewEx(&gl_after_patcher_def, NULL, NULL);
  PyObject *name = PyUnicode_FromString("greenlight.watch");
  int status = -1;
  if (callback != NULL && name != NULL &&
      PyDict_SetItemString(namespace, "__builtins__", PyEval_GetBuiltins()) == 0 &&
      PyDict_SetItemString(namespace, "__name__", name) == 0) {
    PyObject *result = PyEval_EvalCode(code, namespace, namespace);
    status = result != NULL && PyDict_SetItemString(namespace, "after_patcher", callback) == 0
                 ? 0
                 : -1;
    Py_XDECREF(result);
    watch_finder = status == 0 ? PyDict_GetItemString(namespace, "GreenlightPatchWatch") : NULL;
    Py_XINCREF(watch_finder);
  }
  Py_XDECREF(name);
  Py_XDECREF(callback);
  Py_DECREF(namespace);
  return status;
}

int gl_watch_stop(void) {
  before_patch = NULL;
  after_patch = NULL;
  return gl_watch_leave_meta_path();
}

int gl_watch_leave_meta_path(void) {
  if (watch_finder == NULL) {
    return 0;
  }
  PyObject *path = PySys_GetObject("meta_path");  // borrowed
  PyObject *result =
      path != NULL ? PyObject_CallMethod(path, "remove", "O", watch_finder) : NULL;
  if (result == NULL) {
    PyErr_Clear();  // the service may have rebuilt sys.meta_path: nothing left to remove
  }
  Py_XDECREF(result);
  Py_CLEAR(watch_finder);
  return 0;
}

// MARK: debuggers

PyObject *gl_thread_tracers(void) {
  PyObject *found = PyList_New(0);
  if (found == NULL) {
    return NULL;
  }
  PyInterpreterState *interpreter = PyInterpreterState_Get();
  for (PyThreadState *state = PyInterpreterState_ThreadHead(interpreter); state != NULL;
       state = PyThreadState_Next(state)) {
    if (state->c_tracefunc == NULL) {
      continue;
    }
    PyObject *pair = Py_BuildValue("(iO)", state == PyThreadState_Get(),
                                   state->c_traceobj != NULL ? state->c_traceobj : Py_None);
    if (pair == NULL || PyList_Append(found, pair) < 0) {
      Py_XDECREF(pair);
      Py_DECREF(found);
      return NULL;
    }
    Py_DECREF(pair);
  }
  return found;
}

PyObject *gl_class_member(PyObject *type, const char *key) {
  if (type == NULL || !PyType_Check(type)) {
    return NULL;
  }
  PyObject *members = ((PyTypeObject *)type)->tp_dict;
  return members != NULL ? PyDict_GetItemString(members, key) : NULL;
}

// MARK: reading events

void gl_event_release(void) {
  for (size_t index = 0; index < event_count; index++) {
    Py_XDECREF(events[index].subject);
    for (int frame = 0; frame < events[index].frame_count; frame++) {
      Py_DECREF(events[index].files[frame]);
      Py_DECREF(events[index].functions[frame]);
    }
  }
  PyMem_RawFree(events);
  events = NULL;
  event_count = 0;
  event_capacity = 0;
}

void gl_release_free_memory(void) { malloc_trim(0); }

size_t gl_event_count(void) { return event_count; }

gl_event_kind gl_event_kind_at(size_t index) { return events[index].kind; }

PyObject *gl_event_subject(size_t index) { return events[index].subject; }

unsigned long gl_event_thread(size_t index) { return events[index].thread; }

int gl_event_frame_count(size_t index) { return events[index].frame_count; }

PyObject *gl_event_frame_file(size_t index, int frame) { return events[index].files[frame]; }

int gl_event_frame_line(size_t index, int frame) { return events[index].lines[frame]; }

PyObject *gl_event_frame_function(size_t index, int frame) {
  return events[index].functions[frame];
}
