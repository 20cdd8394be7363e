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
