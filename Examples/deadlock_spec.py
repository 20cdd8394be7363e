"""The deadlock from OpenStack's "Eventlet Best Practices" spec.

The service patches itself with thread=False (the usual "keep the debugger working"
setting) while time is patched: five green threads share a native threading.Lock and sleep
inside it. The first sleeper yields to the hub while holding the native lock; the next
green thread blocks the whole OS thread on that lock, and the hub never runs again.

    .venv/bin/python Examples/deadlock_spec.py          # deadlocks (a watchdog exits 3)
    greenlight run Examples/deadlock_spec.py            # finishes: greenlight patched first

A native watchdog thread turns the hang into exit status 3 after WATCHDOG_SECONDS so the
example can be run unattended.
"""
import os
import sys

import eventlet

eventlet.monkey_patch(os=False, thread=False)

import threading  # noqa: E402
import time  # noqa: E402

WATCHDOG_SECONDS = float(os.environ.get("DEADLOCK_WATCHDOG_SECONDS", "10"))


def watchdog(finished):
    # A real OS thread even when threading is patched, so it runs while the hub is stuck.
    if not finished.wait(WATCHDOG_SECONDS):
        print("deadlock: the green threads did not finish in %.0f s" % WATCHDOG_SECONDS,
              flush=True)
        os._exit(3)


def main():
    native_threading = eventlet.patcher.original("threading")
    finished = native_threading.Event()
    native_threading.Thread(target=watchdog, args=(finished,), daemon=True).start()

    lock = threading.Lock()
    done = []

    def worker(number):
        with lock:
            time.sleep(0.05)
            done.append(number)

    pool = eventlet.GreenPool()
    for number in range(5):
        pool.spawn(worker, number)
    pool.waitall()
    finished.set()
    print("finished: %d green threads shared the lock" % len(done))
    return 0


if __name__ == "__main__":
    sys.exit(main())
