// greenlight's window onto CPython 3.11.
//
// This header never includes Python.h: pulling it into Swift breaks clean builds with an
// fd_set clash (pyconfig.h sets _GNU_SOURCE). Swift sees only gl_* functions and an opaque
// PyObject.
//
// Contract for the whole shim, stated once:
// - Every function that takes or returns a PyObject must be called with the GIL held, except
//   where its comment says otherwise.
// - "new" means the caller owns the returned reference; "borrowed" means it does not.
// - A function returning NULL (or -1) has left a Python exception set; the Swift side turns
//   it into a PythonError through one funnel (PythonError.fetch).
#ifndef GL_PYTHON_H
#define GL_PYTHON_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// CPython's object, opaque to Swift (Python.h declares the same typedef).
typedef struct _object PyObject;

// MARK: - Lifecycle (gl_lifecycle.c)

/// What the interpreter runs once `gl_run_main` is called, as `python` would.
typedef enum {
  GL_RUN_NOTHING = 0,
  GL_RUN_MODULE = 1,   // python -m
  GL_RUN_COMMAND = 2,  // python -c
  GL_RUN_FILE = 3,     // python FILE
  GL_RUN_PARSE = 4,    // argv is python's own command line, parsed by CPython (parse_argv=1)
} gl_run_kind;

/// Everything the interpreter needs before it starts. Strings are bytes in the locale's
/// encoding, decoded the way `python` decodes its own command line (surrogateescape).
typedef struct {
  const char *program_name;  // what error messages call the interpreter (argv[0] of python)
  const char *executable;    // sys.executable; <venv>/bin/python selects the venv
  int argc;                  // sys.argv, exactly (parse_argv is off unless GL_RUN_PARSE)
  char *const *argv;
  gl_run_kind run_kind;
  const char *run_value;     // module name, code, or file path
} gl_launch_config;

/// Outcome of initialisation. `kind` is 0 for success, 1 when Python asked to exit with
/// `exit_code`, 2 for an error described by `function` and `message` (static strings or
/// strings owned by the shim until the next call).
typedef struct {
  int kind;
  int exit_code;
  const char *function;
  const char *message;
} gl_status;

/// Initialises CPython from `config` (PyConfig_InitPythonConfig: environment variables and
/// signal handlers as `python`). On success the calling thread holds the GIL. Provided in C
/// because PyConfig's wide-string fields and PyStatus macros do not import into Swift.
gl_status gl_initialize(const gl_launch_config *config);

/// Runs what the configuration named (Py_RunMain): sys.path[0], __main__, SystemExit,
/// uncaught exceptions, KeyboardInterrupt, atexit, thread joins and finalisation exactly as
/// `python`. Returns the process exit status; SystemExit may end the process inside it.
int gl_run_main(void);

/// Finalises the interpreter (Py_FinalizeEx) after a failed launch phase, flushing Python's
/// std streams. Returns 0 on success.
int gl_finalize(void);

/// The linked libpython's version string (Py_GetVersion); safe before initialisation.
const char *gl_linked_version(void);

/// PyImport_GetMagicNumber: the magic number of the marshalled code this interpreter reads,
/// or -1 (no exception left set). GIL held.
long gl_magic_number(void);

/// The installation prefix of the linked CPython build (`/usr` for Debian's), fixed at build
/// time (GL_PYTHON_PREFIX); a static string, safe before initialisation.
const char *gl_linked_prefix(void);

/// Restores the default action of the fatal signals (SIGSEGV, SIGBUS, SIGILL, SIGFPE,
/// SIGABRT, SIGTRAP, SIGQUIT), which the Swift runtime takes over for its crash reporter, so
/// that the process dies as `python` does. Provided in C because SIG_DFL is a macro.
void gl_restore_default_fatal_signals(void);

/// fflush(NULL): Swift's print buffers on a pipe separately from Python's; flush at every
/// hand-over so output keeps its order. Provided in C because `stdout` is an unsafe global in
/// Swift 6.
void gl_flush_c_streams(void);

/// Called by Python's atexit machinery; its return value is ignored.
typedef void (*gl_exit_callback)(void);

/// Registers `callback` with `atexit.register`, so that it runs with the GIL held before
/// finalisation, after every handler registered later (atexit runs last-in, first-out).
/// Provided in C because the callable must be a C function object (PyCFunction_NewEx).
/// Returns 0, or -1 with an exception set.
int gl_atexit_register(gl_exit_callback callback);

/// Told that the process called os._exit(status) from `file`:`line` (file NULL when no Python
/// frame is known); returns the status to exit with instead. GIL held.
typedef int (*gl_os_exit_callback)(int status, const char *file, int line);

/// Replaces `os._exit` (and `posix._exit`) with a C function that, in this process only (a
/// forked child goes straight to _exit), calls `callback` before it ends the process with
/// `_exit` and the callback's status. `check` uses it while importing the target, so that a
/// target's os._exit still gets its report. Provided in C because the replacement must be a
/// C function object. Returns 0, or -1 with an exception set. GIL held.
int gl_os_exit_intercept(gl_os_exit_callback callback);

/// Puts the original `os._exit` back. GIL held.
void gl_os_exit_restore(void);

// MARK: - Objects (gl_objects.c)

/// Py_INCREF / Py_DECREF (Py_XDECREF: NULL is allowed).
void gl_incref(PyObject *object);
void gl_decref(PyObject *object);

/// PyImport_ImportModule: new.
PyObject *gl_import(const char *name);
/// PyObject_GetAttrString: new.
PyObject *gl_getattr(PyObject *object, const char *name);
/// PyObject_HasAttrString without raising: 1 or 0.
int gl_hasattr(PyObject *object, const char *name);
/// PyObject_SetAttrString: 0 or -1.
int gl_setattr(PyObject *object, const char *name, PyObject *value);
/// PyObject_Call with a tuple of `count` positional arguments and no keywords: new.
PyObject *gl_call(PyObject *callable, PyObject *const *arguments, size_t count);
/// PyObject_Str: new.
PyObject *gl_str(PyObject *object);
/// PyObject_Repr: new.
PyObject *gl_repr(PyObject *object);
/// PyUnicode_AsUTF8 of a str (borrowed buffer, valid while the object lives), or NULL.
const char *gl_utf8(PyObject *object);
/// PyUnicode_FromString: new.
PyObject *gl_string(const char *utf8);
/// PyMarshal_ReadObjectFromString: the object `bytes` marshal, new; NULL with an exception
/// set.
PyObject *gl_unmarshal(const unsigned char *bytes, long size);
/// PyLong_AsLongLong; -1 with an exception set on failure.
long long gl_int_value(PyObject *object);
/// Py_None: borrowed.
PyObject *gl_none(void);
/// Identity: 1 if `a is b`.
int gl_is(PyObject *a, PyObject *b);
/// Name of the object's type (tp_name), borrowed.
const char *gl_type_name(PyObject *object);
/// A class's own name (`__name__`, read from tp_name without an attribute lookup, so a
/// metaclass's `__getattribute__` does not run), borrowed; NULL for a non-class.
const char *gl_class_name(PyObject *type);
/// The interpreter's current sys.modules dict: borrowed.
PyObject *gl_sys_modules(void);
/// PyDict_GetItemString: borrowed or NULL without an exception.
PyObject *gl_dict_get(PyObject *dict, const char *key);
/// PyDict_SetItemString: 0 or -1.
int gl_dict_set(PyObject *dict, const char *key, PyObject *value);

/// PySequence_List: a new list holding the items of any iterable: new.
PyObject *gl_list(PyObject *iterable);
/// PyList_Size of a list.
long gl_list_size(PyObject *list);
/// PyList_GetItem: borrowed.
PyObject *gl_list_item(PyObject *list, long index);
/// PyDict_Items: a new list of (key, value) tuples: new.
PyObject *gl_dict_items(PyObject *dict);
/// PyTuple_GetItem: borrowed.
PyObject *gl_tuple_item(PyObject *tuple, long index);
/// PyObject_IsTrue: 1, 0, or -1 with an exception set.
int gl_truth(PyObject *object);
/// Whether the object is a str (PyUnicode_Check), a type (PyType_Check), a dict
/// (PyDict_Check) or a module (PyModule_Check).
int gl_is_str(PyObject *object);
int gl_is_type(PyObject *object);
int gl_is_dict(PyObject *object);
int gl_is_module(PyObject *object);
/// PyFunction_Check: a Python function (not a builtin), as 1 or 0.
int gl_is_function(PyObject *object);
/// Whether the object is exactly a list, tuple, set or frozenset (their subclasses too).
int gl_is_collection(PyObject *object);
/// The instance's own `__dict__` when its type has one and it exists already: borrowed, or
/// NULL (never raises). Never materialises 3.11's managed dict of an instance whose
/// attributes are still inline values (gl_instance.c). Provided in C so that objects without
/// one cost no AttributeError.
PyObject *gl_instance_dict(PyObject *object);
/// A module's dict (PyModule_GetDict), or for anything else in sys.modules its existing
/// instance dict (gl_instance_dict): borrowed, or NULL. Runs no `__getattribute__`, which an
/// object standing in for a module (a lazy module) may define.
PyObject *gl_namespace(PyObject *object);
/// PyCallable_Check as 1 or 0.
int gl_is_callable(PyObject *object);
/// Py_TYPE(object): borrowed.
PyObject *gl_type_of(PyObject *object);
/// The object's address, for identity maps.
uintptr_t gl_address(PyObject *object);

// MARK: - Errors (gl_errors.c)

/// Exception classes greenlight needs to tell apart.
typedef enum {
  GL_EXC_SYSTEM_EXIT = 0,
  GL_EXC_KEYBOARD_INTERRUPT = 1,
  GL_EXC_MODULE_NOT_FOUND = 2,
  GL_EXC_IMPORT_ERROR = 3,
} gl_exception_kind;

/// PyErr_Occurred as 1 or 0.
int gl_error_occurred(void);
/// Takes the pending exception (normalised, traceback attached) and clears the indicator:
/// new reference, or NULL when none is set.
PyObject *gl_error_take(void);
/// 1 if `exception` is an instance of the class `kind`.
int gl_exception_is(PyObject *exception, gl_exception_kind kind);
/// Prints `exception` with its traceback and chained causes to sys.stderr, as the
/// interpreter prints an uncaught exception (PyErr_DisplayException's 3.11 form). Never
/// exits, unlike PyErr_Print on SystemExit.
void gl_error_display(PyObject *exception);
/// Hands `exception` (not a SystemExit, which PyErr_PrintEx would turn into exit()) to
/// sys.excepthook as python does for an uncaught one, falling back to the built-in display
/// when the hook is missing or fails. Provided in C because PyErr_PrintEx takes the error
/// indicator. GIL held.
void gl_error_print_uncaught(PyObject *exception);

/// Told of each exception that reaches sys.excepthook (borrowed), after the hook ran.
typedef void (*gl_uncaught_callback)(PyObject *exception);

/// Puts a C function in front of the current sys.excepthook: it calls that hook as python
/// would, then `callback`. Provided in C because the hook must be a C function object.
/// Returns 0, or -1 with an exception set. GIL held.
int gl_excepthook_watch(gl_uncaught_callback callback);

/// Puts a C function in front of builtins.__import__: it calls that function unchanged and,
/// when the import raises, hands `callback` the exception (borrowed, normalised, traceback
/// attached) before it propagates, so that an import a test loader catches is still seen.
/// `callback` must not raise. Provided in C because the wrapper must be a C function object
/// that leaves the error indicator as it found it. Returns 0, or -1 with an exception set.
/// GIL held.
int gl_import_watch(gl_uncaught_callback callback);

// MARK: - Observation (gl_observe.c)

/// The deepest Python stack kept for one event.
#define GL_MAX_FRAMES 16

/// What an observed event is.
typedef enum {
  GL_EVENT_IMPORT = 0,      // first import of a module; subject: its name
  GL_EVENT_TRACER = 1,      // sys.settrace / sys.setprofile; subject: which
  GL_EVENT_THREAD = 2,      // a native thread started from Python; see gl_event_thread
  GL_EVENT_PATCH_CALL = 3,  // a call of eventlet.monkey_patch; subject: its keyword dict
  GL_EVENT_ORIGINAL = 4,    // a call of eventlet.patcher.original; subject: (name, module)
} gl_event_kind;

/// Called with the GIL held just before and just after a watched monkey_patch call runs,
/// with the call's event index. Returning a non-zero status makes the call raise
/// SystemExit(status) once the callback is done (after the original ran, for `after`).
typedef int (*gl_patch_callback)(size_t event_index);

/// How much the hooks record.
typedef enum {
  GL_RECORD_OFF = 0,     // nothing: the hook returns at once (after hand-off in run)
  GL_RECORD_NAMES = 1,   // events without their stacks
  GL_RECORD_STACKS = 2,  // events with their Python stacks (the default)
} gl_recording;

/// Sets what the hooks record from now on. Watched monkey_patch calls always keep their
/// call site, and so do eventlet.patcher.original calls (which are not recorded when off).
void gl_observe_record(gl_recording level);

/// Adds greenlight's audit hook (PySys_AddAuditHook). Call before initialisation so that
/// init-time imports are seen. Returns 0.
int gl_observe_install(void);

/// Installs the watch on eventlet.patcher.monkey_patch: a meta path finder (first in
/// sys.meta_path) whose loader wraps monkey_patch right after eventlet.patcher executes.
/// `code` is the finder's code object (PythonGlue.watch), run in a namespace of its own; it gets
/// `after_patcher` there once it has run. Imports nothing. Returns 0, or -1 with an
/// exception set.
int gl_watch_install(PyObject *code, gl_patch_callback before, gl_patch_callback after);

/// Ends the watch: the finder leaves sys.meta_path and the callbacks are dropped (a
/// monkey_patch already wrapped keeps forwarding to the original). Returns 0.
int gl_watch_stop(void);

/// Takes the watch's finder out of sys.meta_path and keeps the callbacks: calls of a
/// monkey_patch already wrapped still reach them. Returns 0.
int gl_watch_leave_meta_path(void);

/// The trace functions set on the interpreter's threads (PyEval_SetTrace, sys.settrace):
/// a new list of (whether it is the calling thread, trace object) for every thread state whose c_tracefunc is set,
/// read from the thread states without calling anything. In C because the thread states'
/// fields are not visible to Swift. Requires the GIL; NULL with an exception set on failure.
PyObject *gl_thread_tracers(void);

/// The value `key` of a class's own namespace (tp_dict), borrowed, or NULL (no error set)
/// when `type` is not a class or has no such key. Reads the dict directly: no metaclass
/// __getattribute__ of the service runs. Requires the GIL.
PyObject *gl_class_member(PyObject *type, const char *key);

/// Empties the event log and frees it (its references and its array, about 350 bytes an
/// event). Only for when nothing will read the events recorded so far: after hand-off in
/// `run --patch first`, and after the service's own patch has been judged in `--patch
/// target`. Later events start a new log at index 0. Requires the GIL.
void gl_event_release(void);

/// Gives the free pages of the C heap back to the system (glibc's malloc_trim): what the
/// launch allocated and freed before hand-off would otherwise stay in the service's
/// resident memory. Needs no GIL.
void gl_release_free_memory(void);

/// The events recorded so far, in order. Subjects, files and functions are borrowed
/// references owned by the record for the life of the process (subject may be NULL).
size_t gl_event_count(void);
gl_event_kind gl_event_kind_at(size_t index);
PyObject *gl_event_subject(size_t index);
/// The native thread id (pthread_t, as threading.get_ident()) of a thread event.
unsigned long gl_event_thread(size_t index);
/// The event's Python stack, innermost frame first, importlib's frozen frames left out.
int gl_event_frame_count(size_t index);
PyObject *gl_event_frame_file(size_t index, int frame);
int gl_event_frame_line(size_t index, int frame);
PyObject *gl_event_frame_function(size_t index, int frame);

/// Whether the audit hook is already installed (the run-time checks need it).
int gl_observe_installed(void);

// MARK: - Scans (gl_scan.c)

/// The references a module namespace holds to any of `targets` (addresses sorted in
/// ascending order): a new
/// list of (kind, holder, index) where kind is "global" (holder: the global's name),
/// "base" (holder: a class of the module that subclasses the target) or "default"
/// (holder: a function of the module, or a method of its classes, whose default argument
/// is the target). `module` is the module's name, to tell its own classes and functions.
PyObject *gl_scan_references(PyObject *namespace, PyObject *module, const uintptr_t *targets,
                             size_t count);

/// Instances of the three native types (lock, RLock, thread-local) reachable from a module
/// namespace through attributes, the class attributes of the module's own classes
/// (`module` is its name), the closures of functions, dict items and list or tuple items,
/// up to `depth` steps: a new
/// list of (path, kind 0|1|2, address), path like `REGISTRY._lock` or `POOL['db']`.
PyObject *gl_scan_native_instances(PyObject *namespace, PyObject *module, PyObject *lock,
                                   PyObject *rlock, PyObject *local, int depth);

// MARK: - Debug mode (gl_debug.c)

/// Removes the unix socket at `path` (the backdoor's) when SIGTERM or SIGHUP kills this
/// process, then dies by the signal as before. Installed only for a signal whose action is
/// still the default, so a Python handler (installed before or after) keeps its meaning;
/// a forked child leaves the parent's socket alone. Provided in C because a signal
/// handler may touch only async-signal-safe state. Returns 0, or -1 when `path` is too
/// long. Needs no GIL.
int gl_unlink_on_fatal_signals(const char *path);

// The run-time watch and the native mode's hub and lock watch: gl_runtime.h.
#include "gl_runtime.h"

#ifdef __cplusplus
}
#endif

#endif
