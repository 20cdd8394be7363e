// The run-time watch: after the hand-off, notices when the eventlet hub stops making
// progress and who stops it, and the run-time hazards (a blocking process call on the hub's
// thread, an OS thread started outside eventlet's tpool).
//
// Progress: a hub timer (a C function, scheduled with hub.schedule_call_global) stores the
// monotonic time every quarter of the threshold. A native watchdog thread, which never
// holds the GIL while the hub is healthy, compares that time with the clock. When the hub
// has been silent for longer than the threshold while it had work waiting, the watchdog
// takes the GIL (at once when the blocker waits in C with the GIL released; within the
// switch interval when Python code spins) and reads the hub thread's current stack.
#define _GNU_SOURCE
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <frameobject.h>

#include <pthread.h>
#include <stdatomic.h>
#include <string.h>
#include <time.h>

#include "gl_internal.h"
#include "gl_python.h"

volatile int gl_runtime_active = 0;

static gl_runtime_callback callback = NULL;
static PyObject *hub = NULL;            // the hand-off thread's hub
static PyObject *tick_function = NULL;  // the timer callback, rescheduled by itself
static PyObject *green_popen = NULL;    // eventlet.green.subprocess.Popen
static unsigned long hub_thread = 0;    // PyThread_get_thread_ident() of the hub's thread
static double interval_seconds = 0.05;
static long long threshold_ns = 200000000;
static _Atomic long long last_tick_ns = 0;
static _Atomic int stopping = 0;
static pthread_t watchdog;
static int watchdog_running = 0;
// The watchdog waits on this between looks, so that stopping wakes it at once (a process
// exit must not wait out its pause).
static pthread_mutex_t pause_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t pause_wake;

static long long gl_now_ns(void) {
  struct timespec now;
  clock_gettime(CLOCK_MONOTONIC, &now);
  return (long long)now.tv_sec * 1000000000LL + now.tv_nsec;
}

// MARK: the event's stack

typedef struct {
  gl_runtime_event event;
  PyObject *codes[GL_MAX_FRAMES];  // kept alive while the callback reads their strings
} gl_runtime_record;

// Fills the stack from `frame` outwards (frozen importlib frames skipped). Steals nothing;
// the codes it keeps are released by gl_release.
static void gl_fill_stack(gl_runtime_record *record, PyFrameObject *frame) {
  Py_XINCREF(frame);
  while (frame != NULL && record->event.frame_count < GL_MAX_FRAMES) {
    PyCodeObject *code = PyFrame_GetCode(frame);  // new
    const char *file = PyUnicode_AsUTF8(code->co_filename);
    const char *function = PyUnicode_AsUTF8(code->co_name);
    if (file == NULL || function == NULL) {
      PyErr_Clear();
      Py_DECREF(code);
    } else if (strncmp(file, "<frozen ", 8) == 0) {
      Py_DECREF(code);
    } else {
      int index = record->event.frame_count++;
      record->codes[index] = (PyObject *)code;
      record->event.files[index] = file;
      record->event.functions[index] = function;
      record->event.lines[index] = PyFrame_GetLineNumber(frame);
    }
    PyFrameObject *back = PyFrame_GetBack(frame);  // new
    Py_DECREF(frame);
    frame = back;
  }
  Py_XDECREF(frame);
}

static void gl_release(gl_runtime_record *record) {
  for (int index = 0; index < record->event.frame_count; index++) {
    Py_XDECREF(record->codes[index]);
  }
}

// Whether the thread is one whose OS threads are expected: eventlet's tpool workers, and
// a debugger's own threads (debugpy keeps native threads on purpose).
static int gl_started_by_expected_code(const gl_runtime_record *record) {
  static const char *const expected[] = {"/eventlet/tpool.py", "/debugpy/", "/pydevd"};
  for (int index = 0; index < record->event.frame_count; index++) {
    for (size_t known = 0; known < sizeof expected / sizeof expected[0]; known++) {
      if (strstr(record->event.files[index], expected[known]) != NULL) {
        return 1;
      }
    }
  }
  return 0;
}

// MARK: audit events and threads (GIL held, on the thread that caused them)

void gl_runtime_audit(const char *name) {
  if (callback == NULL || PyThread_get_thread_ident() != hub_thread) {
    return;
  }
  int is_system = strcmp(name, "os.system") == 0;
  if (!is_system && strcmp(name, "subprocess.Popen") != 0) {
    return;
  }
  PyFrameObject *frame = PyEval_GetFrame();  // borrowed: Popen._execute_child
  if (!is_system) {
    // Green or native: the class of the Popen being started (`self` of _execute_child).
    if (frame == NULL || green_popen == NULL) {
      return;
    }
    PyObject *locals = PyFrame_GetLocals(frame);  // new
    PyObject *self = locals ? PyMapping_GetItemString(locals, "self") : NULL;  // new
    Py_XDECREF(locals);
    int green = self != NULL && PyObject_IsInstance(self, green_popen) == 1;
    Py_XDECREF(self);
    PyErr_Clear();
    if (green) {
      return;
    }
  }
  gl_runtime_record record;
  memset(&record, 0, sizeof record);
  record.event.kind = GL_RUNTIME_PROCESS_CALL;
  record.event.what = is_system ? "os.system" : "subprocess.Popen";
  gl_fill_stack(&record, frame);
  callback(&record.event);
  gl_release(&record);
}

void gl_runtime_thread_started(void) {
  if (callback == NULL) {
    return;
  }
  gl_runtime_record record;
  memset(&record, 0, sizeof record);
  record.event.kind = GL_RUNTIME_THREAD;
  gl_fill_stack(&record, PyEval_GetFrame());
  if (!gl_started_by_expected_code(&record)) {
    callback(&record.event);
  }
  gl_release(&record);
}

// MARK: the hub timer (on the hub's thread, GIL held)

static PyObject *gl_tick(PyObject *self, PyObject *unused) {
  (void)self;
  (void)unused;
  atomic_store(&last_tick_ns, gl_now_ns());
  if (!atomic_load(&stopping) && hub != NULL) {
    PyObject *timer = PyObject_CallMethod(hub, "schedule_call_global", "dO", interval_seconds,
                                          tick_function);
    if (timer == NULL) {
      PyErr_Clear();
    }
    Py_XDECREF(timer);
  }
  Py_RETURN_NONE;
}

static PyMethodDef gl_tick_def = {"greenlight_hub_tick", gl_tick, METH_NOARGS, NULL};

// MARK: the watchdog (its own thread; takes the GIL only when the hub is silent)

// Whether the hub has anything waiting besides the watch's own timer. GIL held.
static int gl_hub_has_work(void) {
  long waiting = 0;
  PyObject *listeners = PyObject_GetAttrString(hub, "listeners");
  if (listeners != NULL && PyDict_Check(listeners)) {
    PyObject *key, *value;
    Py_ssize_t position = 0;
    while (PyDict_Next(listeners, &position, &key, &value)) {
      Py_ssize_t size = PyObject_Length(value);
      waiting += size > 0 ? size : 0;
    }
  }
  Py_XDECREF(listeners);
  for (const char *name = "timers"; name != NULL;
       name = strcmp(name, "timers") == 0 ? "next_timers" : NULL) {
    PyObject *timers = PyObject_GetAttrString(hub, name);
    Py_ssize_t size = timers ? PyObject_Length(timers) : 0;
    waiting += size > 0 ? size : 0;
    Py_XDECREF(timers);
  }
  PyErr_Clear();
  return waiting > 1;  // one is the watch's own timer
}

// Whether the hub's thread runs under a tracer (pdb, debugpy): a debugger stopped at a
// breakpoint holds the hub on purpose. GIL held.
static int gl_hub_thread_is_traced(void) {
  PyInterpreterState *interpreter = PyInterpreterState_Main();
  for (PyThreadState *state = PyInterpreterState_ThreadHead(interpreter); state != NULL;
       state = PyThreadState_Next(state)) {
    if (state->thread_id == hub_thread) {
      return state->c_tracefunc != NULL;
    }
  }
  return 0;
}

// Reports the beginning of a stall with the hub thread's stack. Returns whether it did
// (not when the hub had nothing waiting, a debugger traces it, or Python is finalising).
static int gl_report_stall(long long silent_ns) {
  if (_Py_IsFinalizing()) {
    return 0;
  }
  long long asked = gl_now_ns();
  PyGILState_STATE state = PyGILState_Ensure();
  // The GIL comes at once when the blocker waits in C; Python code holding it gives it up
  // only at the next switch interval (5 ms).
  int holds_gil = gl_now_ns() - asked > 2000000;
  int reported = 0;
  long long since = atomic_load(&last_tick_ns);
  if (!atomic_load(&stopping) && gl_now_ns() - since > threshold_ns && gl_hub_has_work() &&
      !gl_hub_thread_is_traced()) {
    gl_runtime_record record;
    memset(&record, 0, sizeof record);
    record.event.kind = GL_RUNTIME_STALL_BEGIN;
    record.event.milliseconds = (double)(gl_now_ns() - since) / 1e6;
    record.event.holds_gil = holds_gil;
    PyObject *frames = _PyThread_CurrentFrames();  // new: {thread id: frame}
    PyObject *key = frames ? PyLong_FromUnsignedLong(hub_thread) : NULL;
    PyObject *frame = key ? PyDict_GetItemWithError(frames, key) : NULL;  // borrowed
    if (frame != NULL) {
      gl_fill_stack(&record, (PyFrameObject *)frame);
    }
    Py_XDECREF(key);
    Py_XDECREF(frames);
    PyErr_Clear();
    callback(&record.event);
    gl_release(&record);
    reported = 1;
  }
  (void)silent_ns;
  PyGILState_Release(state);
  return reported;
}

// Waits a quarter of the threshold, or until the watch stops. Returns 0 when stopping.
static int gl_pause(void) {
  struct timespec until;
  clock_gettime(CLOCK_MONOTONIC, &until);
  long long nanoseconds = until.tv_nsec + threshold_ns / 4;
  until.tv_sec += nanoseconds / 1000000000LL;
  until.tv_nsec = nanoseconds % 1000000000LL;
  pthread_mutex_lock(&pause_lock);
  while (!atomic_load(&stopping) &&
         pthread_cond_timedwait(&pause_wake, &pause_lock, &until) == 0) {
  }
  pthread_mutex_unlock(&pause_lock);
  return !atomic_load(&stopping);
}

static void *gl_watchdog(void *unused) {
  (void)unused;
  int in_stall = 0;
  long long stall_since = 0;
  while (gl_pause()) {
    long long tick = atomic_load(&last_tick_ns);
    long long silent = gl_now_ns() - tick;
    if (in_stall) {
      if (tick != stall_since) {
        gl_runtime_event event;
        memset(&event, 0, sizeof event);
        event.kind = GL_RUNTIME_STALL_END;
        event.milliseconds = (double)(tick - stall_since) / 1e6;
        callback(&event);
        in_stall = 0;
      }
    } else if (silent > threshold_ns && !atomic_load(&stopping)) {
      if (gl_report_stall(silent)) {
        in_stall = 1;
        stall_since = tick;
      }
    }
  }
  return NULL;
}

// MARK: start and stop

int gl_runtime_start(double stall_milliseconds, gl_runtime_callback receive) {
  threshold_ns = (long long)(stall_milliseconds * 1e6);
  interval_seconds = stall_milliseconds / 4000.0;
  callback = receive;
  hub_thread = PyThread_get_thread_ident();

  PyObject *hubs = PyImport_ImportModule("eventlet.hubs");
  hub = hubs ? PyObject_CallMethod(hubs, "get_hub", NULL) : NULL;
  Py_XDECREF(hubs);
  PyObject *subprocess = hub ? PyImport_ImportModule("eventlet.green.subprocess") : NULL;
  green_popen = subprocess ? PyObject_GetAttrString(subprocess, "Popen") : NULL;
  Py_XDECREF(subprocess);
  tick_function = green_popen ? PyCFunction_NewEx(&gl_tick_def, NULL, NULL) : NULL;
  PyObject *timer = tick_function
                        ? PyObject_CallMethod(hub, "schedule_call_global", "dO",
                                              interval_seconds, tick_function)
                        : NULL;
  if (timer == NULL) {
    Py_CLEAR(hub);
    Py_CLEAR(green_popen);
    Py_CLEAR(tick_function);
    return -1;
  }
  Py_DECREF(timer);

  // The hand-off counts as progress: a service that blocks before its first yield, while
  // something waits on the hub, is reported too. Code that never uses the hub is not: the
  // hub then has nothing waiting but this timer.
  atomic_store(&last_tick_ns, gl_now_ns());
  atomic_store(&stopping, 0);
  pthread_condattr_t monotonic;
  pthread_condattr_init(&monotonic);
  pthread_condattr_setclock(&monotonic, CLOCK_MONOTONIC);
  pthread_cond_init(&pause_wake, &monotonic);
  pthread_condattr_destroy(&monotonic);
  if (pthread_create(&watchdog, NULL, gl_watchdog, NULL) == 0) {
    watchdog_running = 1;
    pthread_setname_np(watchdog, "gl-watch");  // for top -H and the benchmark
  }
  // Only now: the watchdog's own start is not a thread of the service's (GL502), also when
  // the watch starts inside the service's monkey_patch call (--patch target).
  gl_runtime_active = 1;
  return 0;
}

void gl_runtime_stop(void) {
  gl_runtime_active = 0;
  atomic_store(&stopping, 1);
  if (watchdog_running) {
    pthread_mutex_lock(&pause_lock);
    pthread_cond_signal(&pause_wake);
    pthread_mutex_unlock(&pause_lock);
    // The watchdog may be waiting for the GIL to report a stall: let it finish.
    Py_BEGIN_ALLOW_THREADS pthread_join(watchdog, NULL);
    Py_END_ALLOW_THREADS watchdog_running = 0;
  }
  callback = NULL;
}
