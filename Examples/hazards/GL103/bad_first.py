"""GL103 partial-patch under `--patch first`: the service's own thread=False, neutralised.

The service still carries the "keep the debugger working" call. Run by plain python it is
the spec's deadlock. Under greenlight, which patched every module before importing it, the
call changes nothing (eventlet never unpatches); greenlight reports it as neutralised, a
warning, so the dead setting can be removed.

    .venv/bin/python Examples/hazards/GL103/bad_first.py   # deadlocks: the watchdog exits 3
    greenlight run Examples/hazards/GL103/bad_first.py     # finishes: patched first
    cd Examples/hazards/GL103 && greenlight check bad_first.py   # GL103 warning
"""
import eventlet

eventlet.monkey_patch(os=False, thread=False)  # GL103 (neutralised under greenlight)

import os  # noqa: E402
import threading  # noqa: E402
import time  # noqa: E402

WATCHDOG_SECONDS = float(os.environ.get("DEADLOCK_WATCHDOG_SECONDS", "5"))
LOCK = threading.Lock()  # native when run plainly; green when greenlight patched first


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
    print("finished %d jobs" % len(done))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
