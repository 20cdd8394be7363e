// greenlight's window onto CPython 3.11: the run-time watch (gl_runtime*.c) and, in a
// process nothing patched, the watch on eventlet's hub and green locks (gl_native_hub.c).
// Part of gl_python.h, whose contract holds here too; include that header, not this one.
#ifndef GL_RUNTIME_H
#define GL_RUNTIME_H

#include "gl_python.h"  // PyObject; it includes this header at its end

#ifdef __cplusplus
extern "C" {
#endif

// MARK: - Run-time watch (gl_runtime.c)

/// What the run-time watch saw.
typedef enum {
  GL_RUNTIME_STALL_BEGIN = 1,  // the hub made no progress for longer than the threshold
  GL_RUNTIME_STALL_END = 2,    // the hub runs again; `milliseconds` is the whole stall
  GL_RUNTIME_PROCESS_CALL = 3, // os.system or a native Popen on the hub's thread
  GL_RUNTIME_THREAD = 4,       // an OS thread started from Python (not eventlet's tpool)
  GL_RUNTIME_FORKED = 5,       // in a forked child: what was found so far is the parent's
  GL_RUNTIME_FORK = 6,         // os.fork while other OS threads are alive (before the fork)
} gl_runtime_kind;

#define GL_MAX_FORK_THREADS 16
#define GL_THREAD_NAME_BYTES 64

/// An OS thread alive when the service forked.
typedef struct {
  unsigned long ident;              // its threading ident (pthread_t), 0 without a thread state
  int native_id;                    // its kernel thread id
  char name[GL_THREAD_NAME_BYTES];  // threading's name for it, else ""
  char comm[GL_THREAD_NAME_BYTES];  // the kernel's name for it (/proc/self/task/N/comm)
  char importing[GL_THREAD_NAME_BYTES];  // the module whose import lock it holds, else ""
} gl_runtime_thread;

/// One observation. Strings are valid only during the callback.
typedef struct {
  gl_runtime_kind kind;
  const char *what;       // "os.system" or "subprocess.Popen" for process calls, else NULL
  double milliseconds;    // stalls: how long the hub has made no progress
  int holds_gil;          // stall begin: the blocker held the GIL (Python code spinning)
  int frame_count;        // the stack, innermost first (the blocker's, the caller's)
  const char *files[GL_MAX_FRAMES];
  int lines[GL_MAX_FRAMES];
  const char *functions[GL_MAX_FRAMES];
  unsigned long thread;   // thread started: the new thread's ident (pthread_t)
  int expected;           // thread started: by eventlet's tpool or a debugger (no GL502,
                          // and the census alone makes no summary)
  int hub_watched;        // thread started: in a process whose hub is watched (GL502)
  int threads_alive;      // fork: how many other OS threads are alive
  int thread_count;       // fork: how many of them `threads` describes
  gl_runtime_thread threads[GL_MAX_FORK_THREADS];
} gl_runtime_event;

/// Receives observations, always without the GIL (a blocking write to a full stderr pipe
/// must not stop every thread): it must not call Python.
typedef void (*gl_runtime_callback)(const gl_runtime_event *event);

/// Starts the run-time watch on the calling thread's eventlet hub (the main thread, GIL
/// held, eventlet patched): a hub timer that records the time every quarter of the
/// threshold, a native watchdog thread that notices when it stops, and the run-time
/// checks in the audit hook and the thread interposer. Provided in C because the watchdog
/// must run without the GIL. Returns 0, or -1 with an exception set.
int gl_runtime_start(double stall_milliseconds, gl_runtime_callback callback);

/// Stops the watch and joins the watchdog, for at most 2 seconds (then the watchdog, stuck
/// in a report's write, is left behind and touches no Python); call with the GIL held (it
/// is released while joining). Safe to call when the watch never started. A forked child
/// gets a watchdog of its own and forgets the parent's findings (GL_RUNTIME_FORKED).
void gl_runtime_stop(void);

/// Starts only the watch's view of OS threads, for a process without a watched hub (`run
/// --patch none`): GL503 when the service forks while other OS threads are alive, and the
/// thread census. Provided in C with the rest of the watch. GIL held; returns 0.
int gl_runtime_start_threads(gl_runtime_callback callback);

/// The most OS threads the process had at once since the watch started (read at every
/// pthread_create). Needs no GIL.
int gl_runtime_thread_peak(void);

/// The lock that guards the watch's Swift state. Every fork takes it first (pthread_atfork)
/// and releases it after, in the parent and in the child, so that a child never inherits it
/// held by the parent's watchdog thread (which does not exist in the child). Provided in C
/// because Swift's Mutex has no fork handlers. Needs no GIL; never held across Python code.
void gl_watch_state_lock(void);
void gl_watch_state_unlock(void);

/// Takes greenlight's audit hook out again, so that audit events cost what they cost
/// without it (gl_observe_install may add it back later). Requires the GIL; not from
/// inside an audit event.
void gl_observe_uninstall(void);

/// Watches what green a process nothing patched runs first: once eventlet.hubs is
/// imported its get_hub is wrapped, and once eventlet.semaphore is, Semaphore.acquire; the
/// first call that makes a thread's hub and the first acquire of a green lock each record
/// their Python stack (innermost frame first) and their order. Needs the audit hook; GIL
/// held.
void gl_native_hub_watch(void);
/// Ends that watch once the service has patched: eventlet.hubs.get_hub and
/// Semaphore.acquire are eventlet's own again (a module that imported the wrapper, or a
/// method bound meanwhile, keeps a forwarder). GIL held.
void gl_native_hub_stop(void);
/// The kinds of use recorded: the first hub made, the first green lock acquired.
#define GL_NATIVE_HUB_START 0
#define GL_NATIVE_LOCK_ACQUIRE 1
/// A use's order among the recorded ones (1 for the first), 0 while it has not happened.
int gl_native_use_order(int kind);
/// What it was: the hub's type name, or the lock's class as `module.qualname` (NULL when
/// not known). Borrowed references owned by the record for the life of the process, as
/// are the frames' files and functions below.
PyObject *gl_native_use_what(int kind);
int gl_native_use_frame_count(int kind);
PyObject *gl_native_use_frame_file(int kind, int frame);
int gl_native_use_frame_line(int kind, int frame);
PyObject *gl_native_use_frame_function(int kind, int frame);

#ifdef __cplusplus
}
#endif

#endif  // GL_RUNTIME_H
