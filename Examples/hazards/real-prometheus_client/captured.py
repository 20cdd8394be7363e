"""Prints what prometheus_client captured when it was imported before the patch (bad.py's order).

Judged by object identity with the originals taken before the patch and eventlet's green
objects after it, as greenlight judges.

    .venv/bin/python Examples/hazards/real-prometheus_client/captured.py
"""
import _thread

import prometheus_client  # imported first, as in bad.py
import prometheus_client.metrics
import prometheus_client.registry
import prometheus_client.values

NATIVE_LOCK = _thread.allocate_lock  # what threading.Lock is before the patch

import eventlet  # noqa: E402
import eventlet.green.thread  # noqa: E402

eventlet.monkey_patch()

import threading  # noqa: E402

REQUESTS = prometheus_client.Counter("api_requests", "Requests served")  # after the patch


def kind(lock):
    return "native" if type(lock) is type(NATIVE_LOCK()) else type(lock).__module__


def main():
    print("threading.Lock is green now:", threading.Lock is eventlet.green.thread.allocate_lock)
    for module in (prometheus_client.registry, prometheus_client.values,
                   prometheus_client.metrics):
        print("%s.Lock is the native threading.Lock: %s"
              % (module.__name__, module.Lock is NATIVE_LOCK))
    registry = prometheus_client.registry.REGISTRY
    print("prometheus_client.registry.REGISTRY._lock:", kind(registry._lock),
          "(same object as prometheus_client.REGISTRY._lock: %s)"
          % (prometheus_client.REGISTRY._lock is registry._lock))
    print("REQUESTS._value._lock (a Counter made after the patch):", kind(REQUESTS._value._lock))
    print("threads (threading.enumerate):", [t.name for t in threading.enumerate()])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
