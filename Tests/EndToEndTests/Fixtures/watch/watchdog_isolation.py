"""Service code that must never run on greenlight's watchdog thread, each case armed
during a hub stall long enough to be reported (GL501), with gc.set_threshold(1) so that any
allocation of a container collects:

    finalizer  cyclic garbage whose __del__ takes a green lock that the blocker holds: a
               collection on another OS thread would run it there
    audit      an audit hook that takes the same green lock for every event raised on an
               OS thread other than the service's own

Whatever ran on a foreign OS thread is printed; the exit status is 3 when anything did and
0 otherwise, as under plain python.
"""

import gc
import sys

import eventlet
import eventlet.patcher
import eventlet.semaphore

native_time = eventlet.patcher.original("time")
native_thread = eventlet.patcher.original("_thread")

service_thread = native_thread.get_ident()
lock = eventlet.semaphore.Semaphore(1)
foreign = []


def take_lock_briefly():
    if lock.acquire(timeout=0.05):
        lock.release()


class Garbage:
    def __init__(self):
        self.cycle = self

    def __del__(self):
        if native_thread.get_ident() != service_thread:
            foreign.append("__del__")
        take_lock_briefly()


def audit_hook(event, arguments):
    if native_thread.get_ident() != service_thread:
        foreign.append(event)
        take_lock_briefly()


def blocker():
    with lock:
        for _ in range(3):
            Garbage()
        native_time.sleep(0.6)


def main(case):
    if case == "audit":
        sys.addaudithook(audit_hook)
    ticker = eventlet.spawn(lambda: [eventlet.sleep(0.01) for _ in range(100)])
    eventlet.sleep(0.05)
    gc.set_threshold(1)
    eventlet.spawn(blocker).wait()
    eventlet.sleep(0.3)  # the hub runs again: the stall ends
    ticker.wait()
    gc.set_threshold(700)
    print("foreign:", sorted(set(foreign)), flush=True)
    sys.exit(3 if foreign else 0)


if __name__ == "__main__":
    main(sys.argv[1])
