"""GL601 eventlet-in-native-mode, fixed: a dual-mode service that locks natively here.

The same cache, for a service that still runs on eventlet in one deployment: the green lock
is made as the module loads, but native mode takes a threading.Lock. Making a green lock is
not using it: check reports eventlet imported (info) and no error. A waiting worker gets
the lock as soon as it is released.

    .venv/bin/python Examples/hazards/GL601/fixed_lock.py # the worker gets the lock
    cd Examples/hazards/GL601 && greenlight check --no-patch fixed_lock.py
"""
import os
import threading
import time

import eventlet.lock  # imported, never used in native mode: info alone

GREEN_LOCK = eventlet.lock.Lock()  # made, not acquired
GREEN = os.environ.get("CACHE_GREEN") == "1"
LOCK = GREEN_LOCK if GREEN else threading.Lock()
CACHE = {}


def refresh(key):
    with LOCK:
        CACHE[key] = time.monotonic()


refresh("boot")


def main():
    got = []
    LOCK.acquire()
    worker = threading.Thread(target=lambda: got.append(LOCK.acquire(timeout=1.0)))
    worker.start()
    time.sleep(0.1)
    LOCK.release()
    worker.join()
    print("the worker %s the lock released before its timeout"
          % ("got" if got[0] else "never got"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
