"""GL108 native-lock, bad: ratelimit's locks are made before the patch, so they are native.

Two green threads look up their tenant's quota. The first takes the native LOCK and
queries the database (a green wait: it yields); the second blocks the OS thread on the
native lock, so the hub never runs again and neither request finishes.

    .venv/bin/python Examples/hazards/GL108/bad.py   # deadlocks: the watchdog exits 3
    cd Examples/hazards/GL108 && greenlight check --patch target bad.py
"""
import os

import ratelimit  # makes ratelimit.LOCK and ratelimit.BUCKET._lock: native locks

import eventlet

eventlet.monkey_patch()  # does not green locks that already exist

WATCHDOG_SECONDS = float(os.environ.get("DEADLOCK_WATCHDOG_SECONDS", "5"))


def handle(tenant, served):
    ratelimit.quota(tenant)
    ratelimit.BUCKET.take()
    served.append(tenant)


def main():
    finished = eventlet.patcher.original("threading").Event()

    def watchdog():  # a real OS thread, so it runs while the hub is stuck
        if not finished.wait(WATCHDOG_SECONDS):
            print("deadlock: 2 requests not served in %.0f s" % WATCHDOG_SECONDS, flush=True)
            os._exit(3)

    eventlet.patcher.original("threading").Thread(target=watchdog, daemon=True).start()
    served, pool = [], eventlet.GreenPool()
    for tenant in ("acme", "globex"):
        pool.spawn(handle, tenant, served)
    pool.waitall()
    finished.set()
    print("served:", served)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
