"""GL601 eventlet-in-native-mode, bad: a green lock in a process nobody patched.

The service was moved to native threads (no monkey_patch), but its cache still guards each
refresh with eventlet.lock.Lock. Taken without contention a green lock never reaches
eventlet's hub, so no hub shows that anything green ran; greenlight sees the acquire
itself. Between native threads the lock is broken: a release wakes only the green threads
of the releasing thread's own hub, so a native thread that waits for it never gets it. Here
the worker gives up after its 1 s timeout although the lock was free after 0.1 s.

    .venv/bin/python Examples/hazards/GL601/bad_lock.py   # the worker never gets the lock
    cd Examples/hazards/GL601 && greenlight check --no-patch bad_lock.py
"""
import threading
import time

from eventlet.lock import Lock

CACHE = {}
LOCK = Lock()


def refresh(key):
    with LOCK:  # GL601: a green lock acquired in a native process
        CACHE[key] = time.monotonic()


# The cache is warmed as the module loads: the lock is taken, with no one to contend.
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
