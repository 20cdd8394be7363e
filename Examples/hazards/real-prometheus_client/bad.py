"""Real library, bad: prometheus_client imported before the patch captures native locks.

At import prometheus_client binds `from threading import Lock` in its registry, values
and metrics modules and builds the default REGISTRY with one of those native locks. The
registry holds that lock while it asks a collector without describe() for its metrics.
A collector that talks to a backend (a green wait) while a scrape runs in another green
thread: the scrape blocks the OS thread on the native lock and the hub stops for good.

    .venv/bin/python Examples/hazards/real-prometheus_client/bad.py   # watchdog exits 3
    cd Examples/hazards/real-prometheus_client && greenlight check --patch target bad.py
"""
import os

import prometheus_client  # GL101, GL107, GL108: native Lock bound and REGISTRY._lock made
from prometheus_client.core import GaugeMetricFamily

import eventlet  # noqa: E402

eventlet.monkey_patch()

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
