// The debug mode's one piece of C: removing the backdoor's socket when a signal kills the
// process (SIGTERM from a service manager, SIGHUP), where no atexit handler runs.

#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "gl_python.h"

static char socket_path[108];  // sun_path's size on Linux
static pid_t socket_owner = 0;

// Async-signal-safe: unlink, getpid, signal and raise only.
static void gl_unlink_and_die(int signum) {
  if (socket_owner != 0 && getpid() == socket_owner) {
    unlink(socket_path);
  }
  signal(signum, SIG_DFL);
  raise(signum);
}

int gl_unlink_on_fatal_signals(const char *path) {
  size_t length = strlen(path);
  if (length >= sizeof(socket_path)) {
    return -1;
  }
  memcpy(socket_path, path, length + 1);
  socket_owner = getpid();
  static const int signals[] = {SIGTERM, SIGHUP};
  for (size_t index = 0; index < sizeof(signals) / sizeof(signals[0]); index++) {
    struct sigaction current;
    if (sigaction(signals[index], NULL, &current) == 0 && current.sa_handler == SIG_DFL) {
      struct sigaction action;
      memset(&action, 0, sizeof(action));
      action.sa_handler = gl_unlink_and_die;
      sigemptyset(&action.sa_mask);
      sigaction(signals[index], &action, NULL);
    }
  }
  return 0;
}
