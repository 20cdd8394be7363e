// Declarations shared between the shim's own files; Swift never sees them.
#ifndef GL_INTERNAL_H
#define GL_INTERNAL_H

#include "gl_python.h"

// What the run-time watch's other parts read of it (gl_runtime.c). GIL held, except that
// gl_runtime_watches_this_thread may be asked without it (a plain read of two ints).
void gl_runtime_deliver(const gl_runtime_event *event);
int gl_runtime_watches_threads(void);  // GL503 and the census watched, a receiver set
int gl_runtime_watchdog_tid(void);     // the watchdog's kernel thread id, 0 when none

// The watch's view of process calls (gl_runtime_calls.c): sys.audit wrapped while the hub
// is watched (0, or -1 with a Python error set), and the before-fork handler. GIL held.
int gl_process_calls_watch(void);
void gl_process_calls_stop(void);
extern PyMethodDef gl_before_fork_def;

// The run-time watch's part of the thread interposer: an OS thread was started from Python
// code on this thread. Requires the GIL.
void gl_runtime_thread_started(unsigned long thread);

// The thread census's part of the thread interposer: any OS thread was started, from Python
// or not (gl_runtime_threads.c). Needs no GIL.
void gl_runtime_note_threads(void);

// Sets the census's peak to the threads alive now (at start, and in a forked child).
void gl_runtime_reset_thread_peak(void);

// Whether the run-time watch is on.
extern volatile int gl_runtime_active;

// Whether the watch runs and the calling thread is the hub's (gl_runtime.c). GIL held.
int gl_runtime_watches_this_thread(void);

// Moves the watch's timer and the watchdog's view to `new_hub` (gl_runtime.c). Returns 0,
// or -1 with a Python error set. GIL held, on the hub's thread.
int gl_runtime_follow_hub(PyObject *new_hub);

// Wraps eventlet.hubs.use_hub so that the watch follows a hub the service installs, once
// per process (gl_runtime_hub.c). GIL held.
void gl_wrap_use_hub(PyObject *hubs);

// Takes the C audit hook `hook` out of the runtime's list (gl_audit_hooks.c). Returns 1
// when it was there. Requires the GIL, and no audit event in progress on this thread.
int gl_audit_hook_remove(Py_AuditHookFunction hook);

// Whether the audit hook should offer "import" events to gl_native_hub_on_import
// (gl_native_hub.c): from gl_native_hub_watch until eventlet.hubs and eventlet.semaphore
// are wrapped.
extern volatile int gl_native_hub_watching;

// Wraps eventlet.hubs.get_hub and eventlet.semaphore.Semaphore.acquire once their modules
// have defined them. GIL held.
void gl_native_hub_on_import(void);

// MARK: stacks read without Python (gl_frames.c)

// A walk over a thread's Python frames, innermost first, read from the thread state as
// faulthandler reads them: no frame object is made, nothing is allocated, no Python runs.
// Opaque outside gl_frames.c, the one file that sees CPython's internal frame layout.
typedef struct {
  void *frame;  // the next _PyInterpreterFrame to visit, or NULL at the end
} gl_frame_cursor;

// Starts a walk over the calling thread's stack. GIL held.
gl_frame_cursor gl_frames_here(void);

// Gives the next frame that has started running: its code object (borrowed) and its line
// (a tracer's f_lineno first, as PyFrame_GetLineNumber computes it). Returns 0 at the end.
int gl_frames_next(gl_frame_cursor *cursor, PyCodeObject **code, int *line);

#define GL_FILE_BYTES 512
#define GL_FUNCTION_BYTES 128

// A run-time event with its own copies of the stack's names: the event's strings point
// into the buffers, so the record outlives the GIL (the callback runs without it).
typedef struct {
  gl_runtime_event event;
  char files[GL_MAX_FRAMES][GL_FILE_BYTES];
  char functions[GL_MAX_FRAMES][GL_FUNCTION_BYTES];
} gl_runtime_record;

// Fills the record's stack with the Python stack of OS thread `thread_id`, innermost first,
// frozen importlib frames skipped. Returns 0, or -1 when the thread has no thread state.
// GIL held; allocates nothing and runs no Python code (no audit event, no GC).
int gl_fill_thread_stack(gl_runtime_record *record, unsigned long thread_id);

// The same for the calling thread's own stack. GIL held.
void gl_fill_current_stack(gl_runtime_record *record);

// Describes in `event` the OS threads alive besides the calling one and greenlight's
// watchdog (kernel id `watchdog_tid`, 0 when none): their threading names and kernel names
// (gl_runtime_threads.c). Returns how many there are. GIL held, on the forking thread, in
// the service's own call: Python may run (threading's name property).
int gl_fill_fork_threads(gl_runtime_event *event, int watchdog_tid);

// Whether a debugger holds OS thread `thread_id` stopped: pdb's frames (bdb.py, pdb.py) or
// pydevd's do_wait_suspend on its stack. GIL held; allocates nothing.
int gl_thread_in_debugger(unsigned long thread_id);

// Receives one attribute of an instance (both borrowed); a non-zero return stops the walk.
typedef int (*gl_attribute_visitor)(PyObject *name, PyObject *value, void *context);

// Calls `visit` for at most `limit` attributes stored on `object` itself: its __dict__ when
// one exists, else 3.11's inline values (gl_instance.c). Never materialises a dict, never
// allocates, never runs Python. Returns the first non-zero status of `visit`, or 0.
// Requires the GIL.
int gl_instance_attributes(PyObject *object, Py_ssize_t limit, gl_attribute_visitor visit,
                           void *context);

// Whether a str key starts with two underscores (module machinery, not the service's).
int gl_is_dunder(PyObject *key);

// Whether a class's or function's module is the str `module`, read without an attribute
// lookup (gl_scan.c). Never raises.
int gl_defined_in(PyObject *object, PyObject *module);

#endif
