"""GL401 tracer-with-green-threads, fixed: time the handlers explicitly, no global hook.

A decorator keeps its start time in the call's own frame, which belongs to one green
thread, so every timing is charged to the right request. (To debug a green service, use
`greenlight debug`, which does not need a half-patched process.)

    .venv/bin/python Examples/hazards/GL401/fixed.py   # each request's own duration
    cd Examples/hazards/GL401 && greenlight check fixed.py   # no GL401
"""
import functools

import eventlet

if not eventlet.patcher.is_monkey_patched("socket"):
    eventlet.monkey_patch()  # run by plain python: patch first, as greenlight does

import time  # noqa: E402

TIMINGS = {}


def timed(function):
    @functools.wraps(function)
    def wrapper(request):
        started = time.monotonic()  # local to this call, so to this green thread
        try:
            return function(request)
        finally:
            TIMINGS[request] = time.monotonic() - started
    return wrapper


@timed
def handle(request):
    time.sleep(0.01 * request)  # a backend call: yields to the other requests


def main():
    pool = eventlet.GreenPool()
    for request in (3, 1, 2):
        pool.spawn(handle, request)
    pool.waitall()
    for request, seconds in sorted(TIMINGS.items()):
        print("request %d took %.2f s (expected %.2f)" % (request, seconds, 0.01 * request))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
