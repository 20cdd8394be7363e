"""GL401 tracer-with-green-threads, bad: a homemade profiler installed with sys.setprofile.

A profile function is per OS thread, and every green thread runs on the same one: the
profiler sees the calls and returns of all green threads interleaved, as if one stack.
Its call stack no longer matches (returns of one request pop another's frames), so
timings are charged to the wrong functions. Debuggers and coverage tools hit the same.

    .venv/bin/python Examples/hazards/GL401/bad.py   # counts the mismatched returns
    cd Examples/hazards/GL401 && greenlight check bad.py
"""
import sys

import eventlet

if not eventlet.patcher.is_monkey_patched("socket"):
    eventlet.monkey_patch()  # run by plain python: patch first, as greenlight does

import time  # noqa: E402

STACK, MISMATCHED = [], []


def profile(frame, event, arg):
    if event == "call" and frame.f_code.co_name == "handle":
        STACK.append(frame)
    elif event == "return" and frame.f_code.co_name == "handle":
        top = STACK.pop()
        if top is not frame:  # the stack top belongs to another green thread
            MISMATCHED.append(frame.f_locals["request"])


sys.setprofile(profile)  # GL401: a profiler for the main thread while threads are green


def handle(request):
    time.sleep(0.01 * request)  # a backend call: yields to the other requests


def main():
    pool = eventlet.GreenPool()
    for request in (3, 1, 2):
        pool.spawn(handle, request)
    pool.waitall()
    sys.setprofile(None)
    print("profiler saw %d handle() returns that were not its stack top: %s"
          % (len(MISMATCHED), MISMATCHED))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
