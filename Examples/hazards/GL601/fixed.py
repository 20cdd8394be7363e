"""GL601 eventlet-in-native-mode, fixed: native threads, no eventlet anywhere.

The same fan-out with concurrent.futures: each check runs in its own OS thread, the native
waits overlap, and the service runs (and is checked) with `--no-patch --forbid-eventlet`.

    .venv/bin/python Examples/hazards/GL601/fixed.py    # 3 checks take 0.2 s together
    cd Examples/hazards/GL601 && greenlight check --no-patch --forbid-eventlet fixed.py
"""
import concurrent.futures
import time

BACKENDS = ["db", "queue", "cache"]


def check(backend):
    time.sleep(0.2)  # stands for a probe of the backend
    return backend, "up"


def check_all():
    with concurrent.futures.ThreadPoolExecutor(max_workers=len(BACKENDS)) as pool:
        return dict(pool.map(check, BACKENDS))


def main():
    started = time.monotonic()
    status = check_all()
    elapsed = time.monotonic() - started
    print("%s in %.2f s: the checks ran %s" % (status, elapsed,
          "one after another" if elapsed > 0.5 else "concurrently"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
