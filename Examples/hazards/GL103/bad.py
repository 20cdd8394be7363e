"""GL103 partial-patch, bad: `monkey_patch(thread=False)`, the spec's deadlock.

time is patched but threading is not, so the workers' lock is a native lock while their
sleeps yield to the hub. The first worker sleeps holding the lock; the next one blocks the
whole OS thread on it, and the hub that would wake the first never runs again.

    .venv/bin/python Examples/hazards/GL103/bad.py      # deadlocks: the watchdog exits 3
    cd Examples/hazards/GL103 && greenlight check --patch target bad.py
"""
import eventlet

eventlet.monkey_patch(thread=False)  # GL103: thread left native while time is green

import os  # noqa: E402
import threading  # noqa: E402
import time  # noqa: E402

WATCHDOG_SECONDS = float(os.environ.get("DEADLOCK_WATCHDOG_SECONDS", "5"))


class JobTable:
    """Shared state of the worker pool, guarded by one lock."""

    def __init__(self):
        self.lock = threading.Lock()  # native: thread=False kept threading unpatched
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
