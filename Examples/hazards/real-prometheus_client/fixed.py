"""Real library, fixed: patch first, then import prometheus_client; its locks are green.

Imported after the patch, prometheus_client's `from threading import Lock` binds
eventlet's green lock, so REGISTRY._lock and every metric's lock are green: the scrape
waits for the registration in the hub, and both finish.

    .venv/bin/python Examples/hazards/real-prometheus_client/fixed.py   # exit 0
    cd Examples/hazards/real-prometheus_client && greenlight check --patch target fixed.py
"""
import eventlet

eventlet.monkey_patch()

import os  # noqa: E402

import prometheus_client  # noqa: E402  (binds the green Lock)
from prometheus_client.core import GaugeMetricFamily  # noqa: E402

import time  # noqa: E402

WATCHDOG_SECONDS = float(os.environ.get("DEADLOCK_WATCHDOG_SECONDS", "5"))
REQUESTS = prometheus_client.Counter("api_requests", "Requests served")


class BackendQueueCollector:
    """Reports a backend's queue depth, asking the backend on every collect()."""

    def collect(self):
        time.sleep(0.05)  # stands for the call to the backend: a green wait
        yield GaugeMetricFamily("backend_queue_depth", "Jobs waiting", value=3)


def add_backend():  # a backend is configured at run time
    prometheus_client.REGISTRY.register(BackendQueueCollector())  # collect() under the lock


def scrape():  # GET /metrics arriving meanwhile
    return prometheus_client.generate_latest()


def main():
    finished = eventlet.patcher.original("threading").Event()

    def watchdog():  # a real OS thread, so it runs while the hub is stuck
        if not finished.wait(WATCHDOG_SECONDS):
            print("deadlock: register + scrape not done in %.0f s" % WATCHDOG_SECONDS,
                  flush=True)
            os._exit(3)

    eventlet.patcher.original("threading").Thread(target=watchdog, daemon=True).start()
    REQUESTS.inc()
    pool = eventlet.GreenPool()
    pool.spawn(add_backend)
    metrics = pool.spawn(scrape)
    pool.waitall()
    finished.set()
    print("scraped %d bytes; backend_queue_depth exported: %s"
          % (len(metrics.wait()), b"backend_queue_depth" in metrics.wait()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
