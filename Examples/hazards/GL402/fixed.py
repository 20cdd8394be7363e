"""GL402 thread-false-for-debugger, fixed: patch everything, always; load the debugger first.

The service no longer decides how to patch by what is loaded. The debugger is imported
before the patch by greenlight (`--pre-import debugpy`, recorded as allowed, or `greenlight
debug`), and the service stays fully green, so the workers' lock is a green lock.

    .venv/bin/python Examples/hazards/GL402/fixed.py   # finishes 5 jobs, exit 0
    cd Examples/hazards/GL402 && ../../../.venv/bin/python -c \
        "import debugpy, runpy; runpy.run_path('fixed.py', run_name='__main__')"   # the same
    cd Examples/hazards/GL402 && greenlight check --patch target --pre-import debugpy fixed.py
"""
import eventlet

eventlet.monkey_patch()  # everything, debugger or not

import os  # noqa: E402
import sys  # noqa: E402
import threading  # noqa: E402
import time  # noqa: E402

WATCHDOG_SECONDS = float(os.environ.get("DEADLOCK_WATCHDOG_SECONDS", "5"))
LOCK = threading.Lock()  # green


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
