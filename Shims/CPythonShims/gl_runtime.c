// The run-time watch: after the hand-off, notices when the eventlet hub stops making
// progress and who stops it, and the run-time hazards (a blocking process call on the hub's
// thread and a fork while other OS threads are alive, gl_runtime_calls.c; an OS thread
// started outside eventlet's tpool). A process whose hub is not watched (run --patch none)
// gets only the thread part: GL503 and the thread census (gl_runtime_threads.c). No part
// of it needs an audit hook.
//
// Progress: a hub timer (a C function, scheduled with hub.schedule_call_global) stores the
// monotonic time every quarter of the threshold. A service may install a hub of its own
// after the watch started (swift's run_server calls eventlet.hubs.use_hub after it patched):
// the watch wraps eventlet.hubs.use_hub and, on the hub's thread, moves its timer to the
// new hub, so that the watch follows the hub the service runs on. A native watchdog thread, which never
// holds the GIL while the hub is healthy, compares that time with the clock. When the hub
// has been silent for longer than the threshold while it had work waiting, the watchdog
// takes the GIL (at once when the blocker waits in C with the GIL released; within the
// switch interval when Python code spins) and reads the hub thread's current stack.
//
// The watchdog never runs Python code: it reads the hub's instance dict and the hub
// thread's frames directly (gl_frames.c), so neither the service's audit hooks nor the
// cyclic GC (the service's finalizers) ever run on it, and it reports after releasing the
// GIL. Every callback runs without the GIL.
#define _GNU_SOURCE
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <pthread.h>
#include <stdatomic.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "gl_internal.h"
#include "gl_python.h"

volatile int gl_runtime_active = 0;

static gl_runtime_callback callback = NULL;
static int watching = 0;                // between gl_runtime_start and gl_runtime_stop
static int watching_threads = 0;        // the same, or since gl_runtime_start_threads
static PyObject *hub = NULL;            // the hand-off thread's hub
static PyObject *hub_dict = NULL;       // its instance __dict__, read by the watchdog
static PyObject *listeners_key = NULL;  // interned attribute names, so that reading the
static PyObject *timers_key = NULL;     // dict allocates nothing
static PyObject *next_timers_key = NULL;
static PyObject *tick_function = NULL;  // the timer callback, bound to `hub`; rescheduled
                                        // by itself
static unsigned long hub_thread = 0;    // PyThread_get_thread_ident() of the hub's thread
static double interval_seconds = 0.05;
static long long threshold_ns = 200000000;
static _Atomic long long last_tick_ns = 0;
static _Atomic int stopping = 0;
static pthread_t watchdog;
static int watchdog_running = 0;
static _Atomic int watchdog_tid = 0;  // its kernel id: no thread of the service's (GL503)
// The watchdog waits on this between looks, so that stopping wakes it at once (a process
// exit must not wait out its pause).
static pthread_mutex_t pause_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t pause_wake;

// How long a process exit waits for the watchdog (blocked in a write to a full pipe, say)
// before it leaves it behind.
#define GL_JOIN_SECONDS 2

static long long gl_now_ns(void) {
  struct timespec now;
  clock_gettime(CLOCK_MONOTONIC, &now);
  return (long long)now.tv_sec * 1000000000LL + now.tv_nsec;
}

// Hands an observation over with the GIL released: the callback writes to stderr with a
// blocking write, and a full pipe must not stop every thread. Called with the GIL held.
static void gl_deliver(const gl_runtime_event *event) {
  gl_runtime_callback receive = callback;
  if (receive != NULL) {
    Py_BEGIN_ALLOW_THREADS
    receive(event);
    Py_END_ALLOW_THREADS
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

// MARK: what the rest of the watch reads (gl_runtime_calls.c)

void gl_runtime_deliver(const gl_runtime_event *event) { gl_deliver(event); }

int gl_runtime_watches_threads(void) { return callback != NULL && watching_threads; }

int gl_runtime_watchdog_tid(void) { return watchdog_running ? atomic_load(&watchdog_tid) : 0; }

// MARK: threads (GIL held, on the thread that started them)

// Every OS thread started from Python goes to the census; only those the hub's process did
// not expect are GL502.
void gl_runtime_thread_started(unsigned long thread) {
  if (callback == NULL || !watching_threads) {
    return;
  }
  gl_runtime_record record;
  memset(&record, 0, sizeof record);
  record.event.kind = GL_RUNTIME_THREAD;
  record.event.thread = thread;
  gl_fill_current_stack(&record);
  record.event.expected = gl_started_by_expected_code(&record);
  record.event.hub_watched = watching;
  gl_deliver(&record.event);
}

// MARK: the hub timer (on the hub's thread, GIL held)

// `self` is the hub the timer was scheduled on: a timer left on a hub the service replaced
// (should that hub ever run again) is dropped, and its turns are no progress of the live hub.
static PyObject *gl_tick(PyObject *self, PyObject *unused) {
  (void)unused;
  if (self != hub) {
    Py_RETURN_NONE;
  }
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

// MARK: following a hub the service installs (on the thread that calls use_hub, GIL held)

// Moves the watch to `new_hub`: its dict is what the watchdog reads from now on, and the
// timer is scheduled there with a callback bound to it. The timer left on the old hub
// drops itself if that hub runs again. Returns 0, or -1 with a Python error set.
static int gl_follow_hub(PyObject *new_hub) {
  if (new_hub == hub) {
    return 0;
  }
  PyObject *dict = PyObject_GenericGetDict(new_hub, NULL);  // new
  PyObject *function = dict ? PyCFunction_NewEx(&gl_tick_def, new_hub, NULL) : NULL;
  PyObject *timer = function ? PyObject_CallMethod(new_hub, "schedule_call_global", "dO",
                                                   interval_seconds, function)
                             : NULL;
  if (timer == NULL) {
    Py_XDECREF(function);
    Py_XDECREF(dict);
    return -1;
  }
  Py_DECREF(timer);
  Py_INCREF(new_hub);
  Py_XSETREF(hub, new_hub);
  Py_XSETREF(hub_dict, dict);
  Py_XSETREF(tick_function, function);
  // The new hub counts as progress, as the hand-off does.
  atomic_store(&last_tick_ns, gl_now_ns());
  return 0;
}

int gl_runtime_watches_this_thread(void) {
  return watching && PyThread_get_thread_ident() == hub_thread;
}

int gl_runtime_follow_hub(PyObject *new_hub) { return watching ? gl_follow_hub(new_hub) : 0; }

// MARK: the watchdog (its own thread; takes the GIL only when the hub is silent)

// The size of the exact list `key` names in the hub's dict, else 0. Borrowed lookups of
// interned keys: no allocation, no exception, no Python code.
static Py_ssize_t gl_hub_list_size(PyObject *key) {
  PyObject *list = PyDict_GetItem(hub_dict, key);
  return list != NULL && PyList_CheckExact(list) ? PyList_GET_SIZE(list) : 0;
}

// Whether the hub has anything waiting besides the watch's own timer: a listener (the
// hub's `listeners` is {READ: {fileno: listener}, WRITE: {...}}) or another timer in
// `timers` or `next_timers`. GIL held.
static int gl_hub_has_work(void) {
  if (hub_dict == NULL || !PyDict_CheckExact(hub_dict)) {
    return 0;
  }
  Py_ssize_t waiting = 0;
  PyObject *listeners = PyDict_GetItem(hub_dict, listeners_key);
  if (listeners != NULL && PyDict_CheckExact(listeners)) {
    PyObject *key, *value;
    Py_ssize_t position = 0;
    while (PyDict_Next(listeners, &position, &key, &value)) {
      waiting += PyDict_CheckExact(value) ? PyDict_Size(value) : 0;
    }
  }
  waiting += gl_hub_list_size(timers_key) + gl_hub_list_size(next_timers_key);
  return waiting > 1;  // one is the watch's own timer
}

// Whether to give up on Python: the watch stops, or the interpreter is going away.
static int gl_leaving(void) { return atomic_load(&stopping) || _Py_IsFinalizing(); }

// Reports the beginning of a stall with the hub thread's stack. Returns whether it did
// (not when the hub had nothing waiting, a debugger holds it, or the watch stops).
static int gl_report_stall(void) {
  if (gl_leaving()) {
    return 0;
  }
  long long asked = gl_now_ns();
  PyGILState_STATE state = PyGILState_Ensure();
  // The GIL comes at once when the blocker waits in C; Python code holding it gives it up
  // only at the next switch interval (5 ms).
  int holds_gil = gl_now_ns() - asked > 2000000;
  gl_runtime_record record;
  memset(&record, 0, sizeof record);
  long long since = atomic_load(&last_tick_ns);
  int report = !gl_leaving() && gl_now_ns() - since > threshold_ns && gl_hub_has_work() &&
               !gl_thread_in_debugger(hub_thread);
  if (report) {
    record.event.kind = GL_RUNTIME_STALL_BEGIN;
    record.event.milliseconds = (double)(gl_now_ns() - since) / 1e6;
    record.event.holds_gil = holds_gil;
    gl_fill_thread_stack(&record, hub_thread);
  }
  PyGILState_Release(state);
  gl_runtime_callback receive = callback;
  if (report && receive != NULL && !atomic_load(&stopping)) {
    receive(&record.event);
  }
  return report;
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
  atomic_store(&watchdog_tid, (int)gettid());
  int in_stall = 0;
  long long stall_since = 0;
  while (gl_pause()) {
    long long tick = atomic_load(&last_tick_ns);
    long long silent = gl_now_ns() - tick;
    if (in_stall) {
      gl_runtime_callback receive = callback;
      if (tick != stall_since && receive != NULL) {
        gl_runtime_event event;
        memset(&event, 0, sizeof event);
        event.kind = GL_RUNTIME_STALL_END;
        event.milliseconds = (double)(tick - stall_since) / 1e6;
        receive(&event);
        in_stall = 0;
      }
    } else if (silent > threshold_ns && gl_report_stall()) {
      in_stall = 1;
      stall_since = tick;
    }
  }
  return NULL;
}

// Starts the watchdog thread (fresh pause lock and condition: a forked child may inherit
// them held). Not a thread of the service's: the thread interposer must not see it.
static void gl_start_watchdog(void) {
  pthread_mutex_init(&pause_lock, NULL);
  pthread_condattr_t monotonic;
  pthread_condattr_init(&monotonic);
  pthread_condattr_setclock(&monotonic, CLOCK_MONOTONIC);
  pthread_cond_init(&pause_wake, &monotonic);
  pthread_condattr_destroy(&monotonic);
  int active = gl_runtime_active;
  gl_runtime_active = 0;
  if (pthread_create(&watchdog, NULL, gl_watchdog, NULL) == 0) {
    watchdog_running = 1;
    pthread_setname_np(watchdog, "gl-watch");  // for top -H and the benchmark
  }
  gl_runtime_active = active;
}

// MARK: after fork (in the child, GIL held, on the thread that forked)

// A forked child has only the thread that forked: the watchdog is gone, and the findings
// are the parent's. The child forgets them (GL_RUNTIME_FORKED) and, when it forked on the
// hub's thread (whose hub, timer included, it keeps), watches with a watchdog of its own.
static PyObject *gl_after_fork_child(PyObject *self, PyObject *unused) {
  (void)self;
  (void)unused;
  watchdog_running = 0;  // the parent's thread: never to be joined here
  if (!watching_threads) {
    Py_RETURN_NONE;
  }
  gl_runtime_reset_thread_peak();
  gl_runtime_event event;
  memset(&event, 0, sizeof event);
  event.kind = GL_RUNTIME_FORKED;
  gl_deliver(&event);
  if (!watching) {
    Py_RETURN_NONE;
  }
  atomic_store(&stopping, 0);
  atomic_store(&last_tick_ns, gl_now_ns());  // the fork counts as progress
  if (PyThread_get_thread_ident() == hub_thread) {
    gl_start_watchdog();
  }
  Py_RETURN_NONE;
}

static PyMethodDef gl_after_fork_def = {"greenlight_watch_after_fork", gl_after_fork_child,
                                        METH_NOARGS, NULL};

// os.register_at_fork(before=..., after_in_child=...), once per process (handlers cannot
// be removed): the fork itself (gl_runtime_calls.c) and the child's new start.
static void gl_register_fork_handler(void) {
  static int registered = 0;
  if (registered) {
    return;
  }
  PyObject *os = PyImport_ImportModule("os");
  PyObject *register_at_fork = os ? PyObject_GetAttrString(os, "register_at_fork") : NULL;
  PyObject *before = register_at_fork ? PyCFunction_NewEx(&gl_before_fork_def, NULL, NULL)
                                      : NULL;
  PyObject *after = before ? PyCFunction_NewEx(&gl_after_fork_def, NULL, NULL) : NULL;
  PyObject *arguments = after ? PyTuple_New(0) : NULL;
  PyObject *keywords = arguments ? PyDict_New() : NULL;
  PyObject *result = NULL;
  if (keywords != NULL && PyDict_SetItemString(keywords, "before", before) == 0 &&
      PyDict_SetItemString(keywords, "after_in_child", after) == 0) {
    result = PyObject_Call(register_at_fork, arguments, keywords);
  }
  registered = result != NULL;
  Py_XDECREF(result);
  Py_XDECREF(keywords);
  Py_XDECREF(arguments);
  Py_XDECREF(after);
  Py_XDECREF(before);
  Py_XDECREF(register_at_fork);
  Py_XDECREF(os);
  PyErr_Clear();
}

// MARK: start and stop

int gl_runtime_start(double stall_milliseconds, gl_runtime_callback receive) {
  threshold_ns = (long long)(stall_milliseconds * 1e6);
  interval_seconds = stall_milliseconds / 4000.0;
  hub_thread = PyThread_get_thread_ident();

  PyObject *hubs = PyImport_ImportModule("eventlet.hubs");
  hub = hubs ? PyObject_CallMethod(hubs, "get_hub", NULL) : NULL;
  if (hub != NULL) {
    gl_wrap_use_hub(hubs);
  }
  Py_XDECREF(hubs);
  // Made once here, on the hub's thread: the watchdog only reads it.
  hub_dict = hub ? PyObject_GenericGetDict(hub, NULL) : NULL;
  if (listeners_key == NULL) {
    listeners_key = PyUnicode_InternFromString("listeners");
    timers_key = PyUnicode_InternFromString("timers");
    next_timers_key = PyUnicode_InternFromString("next_timers");
  }
  int calls = hub_dict && next_timers_key ? gl_process_calls_watch() : -1;
  tick_function = calls == 0 ? PyCFunction_NewEx(&gl_tick_def, hub, NULL) : NULL;
  PyObject *timer = tick_function
                        ? PyObject_CallMethod(hub, "schedule_call_global", "dO",
                                              interval_seconds, tick_function)
                        : NULL;
  if (timer == NULL) {
    Py_CLEAR(hub);
    Py_CLEAR(hub_dict);
    Py_CLEAR(tick_function);
    gl_process_calls_stop();
    return -1;
  }
  Py_DECREF(timer);
  gl_register_fork_handler();

  // The hand-off counts as progress: a service that blocks before its first yield, while
  // something waits on the hub, is reported too. Code that never uses the hub is not: the
  // hub then has nothing waiting but this timer.
  atomic_store(&last_tick_ns, gl_now_ns());
  atomic_store(&stopping, 0);
  callback = receive;
  watching = 1;
  watching_threads = 1;
  gl_runtime_reset_thread_peak();
  gl_start_watchdog();
  // Only now: the watchdog's own start is not a thread of the service's (GL502), also when
  // the watch starts inside the service's monkey_patch call (--patch target).
  gl_runtime_active = 1;
  return 0;
}

int gl_runtime_start_threads(gl_runtime_callback receive) {
  gl_register_fork_handler();
  callback = receive;
  watching_threads = 1;
  gl_runtime_reset_thread_peak();
  gl_runtime_active = 1;
  return 0;
}

void gl_runtime_stop(void) {
  gl_runtime_active = 0;
  watching = 0;
  watching_threads = 0;
  gl_process_calls_stop();
  atomic_store(&stopping, 1);
  if (watchdog_running) {
    pthread_mutex_lock(&pause_lock);
    pthread_cond_signal(&pause_wake);
    pthread_mutex_unlock(&pause_lock);
    // The watchdog may be waiting for the GIL to report a stall: let it finish. It may
    // also be stuck in a report's write (stderr a full pipe): after a bound the process
    // leaves it behind. It touches no Python once stopping is set.
    struct timespec deadline;
    clock_gettime(CLOCK_REALTIME, &deadline);
    deadline.tv_sec += GL_JOIN_SECONDS;
    int joined;
    Py_BEGIN_ALLOW_THREADS
    joined = pthread_timedjoin_np(watchdog, NULL, &deadline);
    Py_END_ALLOW_THREADS
    if (joined != 0) {
      pthread_detach(watchdog);
    }
    watchdog_running = 0;
  }
}
