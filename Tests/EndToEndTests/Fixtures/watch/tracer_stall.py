"""A hub stall while the service runs under a tracer that is not a debugger, as under
coverage: a trivial Python trace function (sys.settrace, what pure-Python coverage does)
or a profile function (sys.setprofile). The stall is still GL501.

    settrace    a Python trace function on the hub's thread
    setprofile  a Python profile function on the hub's thread
"""

import sys

import eventlet
import eventlet.patcher

native_time = eventlet.patcher.original("time")


def tracer(frame, event, argument):
    return tracer


def blocked_under_tracer():
    native_time.sleep(0.5)


def main(case):
    if case == "settrace":
        sys.settrace(tracer)
    else:
        sys.setprofile(tracer)
    ticker = eventlet.spawn(lambda: [eventlet.sleep(0.01) for _ in range(80)])
    eventlet.sleep(0.05)
    eventlet.spawn(blocked_under_tracer).wait()
    eventlet.sleep(0.3)  # the hub runs again: the stall ends
    ticker.wait()
    sys.settrace(None)
    sys.setprofile(None)
    print("done", case, flush=True)


if __name__ == "__main__":
    main(sys.argv[1])
