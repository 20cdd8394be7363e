"""GL601 eventlet-in-native-mode, bad: eventlet's green threads in a process nobody patched.

The service was moved to native threads (no monkey_patch), but its health checker still
fans out with a GreenPool, as the module loads and again in main. Importing eventlet alone
is info in native mode (futurist does it whenever eventlet is installed); a hub started is
the error. Green threads only switch at eventlet's own waits; the checks
call the native time.sleep and socket, so they run one after another, and any check that
hangs hangs the service.

    .venv/bin/python Examples/hazards/GL601/bad.py      # 3 checks take 3 x 0.2 s
    cd Examples/hazards/GL601 && greenlight check --no-patch bad.py
"""
import socket
import time

import eventlet  # imported in a process that is not patched: info alone

BACKENDS = ["db", "queue", "cache"]


def check(backend):
    time.sleep(0.2)  # stands for a probe of the backend: native, so it blocks everything
    return backend, "up"


def check_all():
    pool = eventlet.GreenPool()
    return dict(pool.imap(check, BACKENDS))  # GL601: green threads start eventlet's hub


# The service checks its backends as it loads: green threads start (and eventlet's hub with
# them) while the module is imported.
LOADED = check_all()


def main():
    started = time.monotonic()
    status = check_all()
    elapsed = time.monotonic() - started
    print("%s in %.2f s: the checks ran %s" % (status, elapsed,
          "one after another" if elapsed > 0.5 else "concurrently"))
    print("socket.socket is native:", socket.socket.__module__ == "socket")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
