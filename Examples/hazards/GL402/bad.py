"""GL402 thread-false-for-debugger, bad: "a debugger is in use, so patch with thread=False".

The service runs under a debugger (the trace function below stands for the one an IDE's
debugger sets, as pydevd and pdb do) and, because debuggers need real threads, patches
everything but threading. That is the spec's deadlock: the workers' lock is native while
their sleeps yield, and the service hangs as soon as it is under load. A debugger merely
imported (pdb is, by many test tools) is not in use: the same call is then GL103.

    .venv/bin/python Examples/hazards/GL402/bad.py     # deadlocks: the watchdog exits 3
    cd Examples/hazards/GL402 && greenlight check --patch target bad.py
"""
import sys

import debugpy  # noqa: F401  so an IDE can attach (debugpy.listen on demand)

import eventlet


def debugger_trace(frame, event, arg):  # stands for the trace function of a debugger in use
    return None


sys.settrace(debugger_trace)

if "pydevd" in sys.modules or "debugpy" in sys.modules or sys.gettrace() is not None:
    eventlet.monkey_patch(thread=False)  # GL402, GL103: "the debugger needs real threads"
else:
    eventlet.monkey_patch()

import os  # noqa: E402
import threading  # noqa: E402
import time  # noqa: E402

WATCHDOG_SECONDS = float(os.environ.get("DEADLOCK_WATCHDOG_SECONDS", "5"))
LOCK = threading.Lock()  # native: threading was left unpatched


def finish(job, done):
    with LOCK:
        time.sleep(0.05)  # stands for a write to the database, which yields
        done.append(job)


def main():
    finished = eventlet.patcher.original("threading").Event()

    def watchdog():  # a real OS thread, so it runs while the hub is stuck
        if not finished.wait(WATCHDOG_SECONDS):
            print("deadlock: the workers did not finish in %.0f s" % WATCHDOG_SECONDS,
                  flush=True)
            os._exit(3)

    eventlet.patcher.original("threading").Thread(target=watchdog, daemon=True).start()
    done, pool = [], eventlet.GreenPool()
    for job in range(5):
        pool.spawn(finish, job, done)
    pool.waitall()
    finished.set()
    print("finished %d jobs (debugpy loaded: %s)" % (len(done), "debugpy" in sys.modules))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
