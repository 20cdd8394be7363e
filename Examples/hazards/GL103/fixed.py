"""GL103 partial-patch, fixed: a full `monkey_patch()`; the same workers finish.

With threading patched too, the workers' lock is a green lock: a worker waiting for it
yields to the hub, and the one holding it wakes up and releases it.

    .venv/bin/python Examples/hazards/GL103/fixed.py    # finishes 5 jobs, exit 0
    cd Examples/hazards/GL103 && greenlight check --patch target fixed.py   # no GL103
"""
import eventlet

eventlet.monkey_patch()  # every module, threading included

import os  # noqa: E402
import threading  # noqa: E402
import time  # noqa: E402

WATCHDOG_SECONDS = float(os.environ.get("DEADLOCK_WATCHDOG_SECONDS", "5"))


class JobTable:
    """Shared state of the worker pool, guarded by one lock."""

    def __init__(self):
        self.lock = threading.Lock()  # green: threading is patched
        self.done = []

    def finish(self, job):
        with self.lock:
            time.sleep(0.05)  # stands for a write to the database, which yields
            self.done.append(job)


def main():
    finished = eventlet.patcher.original("threading").Event()

    def watchdog():  # a real OS thread, so it runs while the hub is stuck
        if not finished.wait(WATCHDOG_SECONDS):
            print("deadlock: the workers did not finish in %.0f s" % WATCHDOG_SECONDS,
                  flush=True)
            os._exit(3)

    eventlet.patcher.original("threading").Thread(target=watchdog, daemon=True).start()
    table, pool = JobTable(), eventlet.GreenPool()
    for job in range(5):
        pool.spawn(table.finish, job)
    pool.waitall()
    finished.set()
    print("finished %d jobs" % len(table.done))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
