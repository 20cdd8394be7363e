// Declarations shared between the shim's own files; Swift never sees them.
#ifndef GL_INTERNAL_H
#define GL_INTERNAL_H

// The run-time watch's part of the audit hook (gl_runtime.c), called for every event
// while the watch runs. Requires the GIL.
void gl_runtime_audit(const char *name);

// The run-time watch's part of the thread interposer: an OS thread was started from Python
// code on this thread. Requires the GIL.
void gl_runtime_thread_started(void);

// Whether the run-time watch is on.
extern volatile int gl_runtime_active;

#endif
