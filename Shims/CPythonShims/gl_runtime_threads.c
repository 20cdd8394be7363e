// The run-time watch's view of OS threads: the census (the most OS threads the process had
// at once, read at every pthread_create, Python's or not) and, when the service forks, the
// other OS threads alive (GL503), with the names threading and the kernel give them.
// Green threads are not OS threads: only the kernel's list of the process's threads counts.
#define _GNU_SOURCE
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <dirent.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "gl_internal.h"
#include "gl_python.h"

static _Atomic int peak = 0;

// Reads a small /proc file into `buffer` (NUL-terminated). Returns the bytes read, or -1.
static ssize_t gl_read_small(const char *path, char *buffer, size_t size) {
  int descriptor = open(path, O_RDONLY | O_CLOEXEC);
  if (descriptor < 0) {
    return -1;
  }
  ssize_t length = read(descriptor, buffer, size - 1);
  close(descriptor);
  buffer[length > 0 ? length : 0] = '\0';
  return length;
}

// The process's OS threads now ("Threads:" of /proc/self/status), or 0.
static int gl_thread_count(void) {
  char status[4096];
  if (gl_read_small("/proc/self/status", status, sizeof status) <= 0) {
    return 0;
  }
  const char *field = strstr(status, "\nThreads:");
  return field != NULL ? atoi(field + strlen("\nThreads:")) : 0;
}

void gl_runtime_note_threads(void) {
  int now = gl_thread_count();
  int seen = atomic_load(&peak);
  while (now > seen && !atomic_compare_exchange_weak(&peak, &seen, now)) {
  }
}

void gl_runtime_reset_thread_peak(void) { atomic_store(&peak, gl_thread_count()); }

int gl_runtime_thread_peak(void) { return atomic_load(&peak); }

// The threading ident of the thread whose kernel id is `native_id`, from the interpreter's
// thread states, or 0 when the thread never ran Python.
static unsigned long gl_ident_of(int native_id) {
  PyThreadState *state = PyInterpreterState_ThreadHead(PyInterpreterState_Get());
  for (; state != NULL; state = PyThreadState_Next(state)) {
    if (state->native_thread_id == (unsigned long)native_id) {
      return state->thread_id;
    }
  }
  return 0;
}

// threading's name for OS thread `ident`, from `_active` of the threading module in use
// and, in a patched process, of eventlet's original (where native threads are). Copied
// into `name`, else left empty.
static void gl_python_name(unsigned long ident, char *name, size_t size) {
  static const char *const modules[] = {"threading", "__original_module_threading"};
  PyObject *key = PyLong_FromUnsignedLong(ident);  // new
  for (size_t index = 0; key != NULL && name[0] == '\0' && index < 2; index++) {
    PyObject *module_name = PyUnicode_FromString(modules[index]);         // new
    PyObject *module = module_name ? PyImport_GetModule(module_name) : NULL;  // new
    PyObject *active = module ? PyObject_GetAttrString(module, "_active") : NULL;  // new
    PyObject *thread =
        active && PyDict_Check(active) ? PyDict_GetItemWithError(active, key) : NULL;
    PyObject *text = thread ? PyObject_GetAttrString(thread, "name") : NULL;  // new
    const char *utf8 = text && PyUnicode_Check(text) ? PyUnicode_AsUTF8(text) : NULL;
    if (utf8 != NULL) {
      snprintf(name, size, "%s", utf8);
    }
    Py_XDECREF(text);
    Py_XDECREF(active);
    Py_XDECREF(module);
    Py_XDECREF(module_name);
  }
  Py_XDECREF(key);
  PyErr_Clear();
}

// The module whose import lock thread `ident` holds, copied into `module`, else left
// empty: importlib's per-module locks (`_module_locks` of _frozen_importlib, weak references
// to `_ModuleLock`s, whose `owner` is the importing thread's ident and `count` its depth).
// A child forked meanwhile inherits the lock held by a thread it does not have: its first
// import of that module waits for ever. The locks are plain instances, so reading their
// attributes runs no Python code. GIL held.
static void gl_import_lock_held(unsigned long ident, char *module, size_t size) {
  PyObject *bootstrap_name = PyUnicode_FromString("_frozen_importlib");  // new
  PyObject *bootstrap = bootstrap_name ? PyImport_GetModule(bootstrap_name) : NULL;  // new
  Py_XDECREF(bootstrap_name);
  PyObject *locks = bootstrap ? PyObject_GetAttrString(bootstrap, "_module_locks") : NULL;
  Py_ssize_t position = 0;
  PyObject *name, *reference;
  while (locks && PyDict_Check(locks) && module[0] == '\0' &&
         PyDict_Next(locks, &position, &name, &reference)) {
    PyObject *lock = PyWeakref_Check(reference) ? PyWeakref_GetObject(reference) : NULL;
    if (lock == NULL || lock == Py_None) {
      continue;
    }
    PyObject *owner = PyObject_GetAttrString(lock, "owner");  // new
    PyObject *count = PyObject_GetAttrString(lock, "count");  // new
    if (owner && count && PyLong_Check(owner) && PyLong_Check(count) &&
        PyLong_AsUnsignedLong(owner) == ident && PyLong_AsLong(count) > 0 &&
        PyUnicode_Check(name)) {
      const char *utf8 = PyUnicode_AsUTF8(name);
      if (utf8 != NULL) {
        snprintf(module, size, "%s", utf8);
      }
    }
    Py_XDECREF(count);
    Py_XDECREF(owner);
  }
  Py_XDECREF(locks);
  Py_XDECREF(bootstrap);
  PyErr_Clear();
}

int gl_fill_fork_threads(gl_runtime_event *event, int watchdog_tid) {
  DIR *tasks = opendir("/proc/self/task");
  if (tasks == NULL) {
    return 0;
  }
  int self = (int)gettid();
  struct dirent *entry;
  while ((entry = readdir(tasks)) != NULL) {
    int tid = atoi(entry->d_name);
    if (tid <= 0 || tid == self || tid == watchdog_tid) {
      continue;
    }
    // The watchdog is named by its creator right after pthread_create, before it may have
    // stored its own id: a fork in between knows it by its name.
    char comm[GL_THREAD_NAME_BYTES] = "";
    char path[64];
    snprintf(path, sizeof path, "/proc/self/task/%d/comm", tid);
    if (gl_read_small(path, comm, sizeof comm) > 0) {
      comm[strcspn(comm, "\n")] = '\0';
    }
    if (strcmp(comm, "gl-watch") == 0) {
      continue;
    }
    event->threads_alive++;
    if (event->thread_count == GL_MAX_FORK_THREADS) {
      continue;
    }
    gl_runtime_thread *thread = &event->threads[event->thread_count++];
    thread->native_id = tid;
    thread->ident = gl_ident_of(tid);
    memcpy(thread->comm, comm, sizeof comm);
    if (thread->ident != 0) {
      gl_python_name(thread->ident, thread->name, sizeof thread->name);
      gl_import_lock_held(thread->ident, thread->importing, sizeof thread->importing);
    }
  }
  closedir(tasks);
  return event->threads_alive;
}
