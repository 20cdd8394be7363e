"""GL108 native-lock, fixed: patch first, then import ratelimit; its locks are green.

The second green thread waiting for the quota lock yields to the hub, the first one gets
its database answer and releases the lock, and both requests are served.

    .venv/bin/python Examples/hazards/GL108/fixed.py   # serves both, exit 0
    cd Examples/hazards/GL108 && greenlight check --patch target fixed.py   # no GL108
"""
import eventlet

eventlet.monkey_patch()

import os  # noqa: E402

import ratelimit  # noqa: E402  (its locks are made after the patch: green)

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
