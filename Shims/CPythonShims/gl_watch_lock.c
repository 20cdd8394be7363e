// The lock that guards the run-time watch's Swift state, with fork handlers: every fork
// takes it first and releases it after, in the parent and in the child, so that a child
// never inherits it held by the parent's watchdog thread (which the child does not have).
#include <pthread.h>

#include "gl_python.h"

static pthread_mutex_t state_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_once_t state_lock_once = PTHREAD_ONCE_INIT;

static void gl_state_lock_prepare(void) { pthread_mutex_lock(&state_lock); }

// In the child only the forking thread exists, and it is the one that locked in prepare.
static void gl_state_lock_release(void) { pthread_mutex_unlock(&state_lock); }

static void gl_state_lock_register(void) {
  pthread_atfork(gl_state_lock_prepare, gl_state_lock_release, gl_state_lock_release);
}

void gl_watch_state_lock(void) {
  pthread_once(&state_lock_once, gl_state_lock_register);
  pthread_mutex_lock(&state_lock);
}

void gl_watch_state_unlock(void) { pthread_mutex_unlock(&state_lock); }
