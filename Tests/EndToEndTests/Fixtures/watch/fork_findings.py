"""Findings on both sides of a fork. The parent makes one GL202 (os.system on the hub's
thread), then forks; the child blocks the hub for 1 s natively while a green thread waits
on a timer (GL501, the child's own), then exits normally, so that it writes its own
summary. The parent waits for the child and exits with its status."""

import os
import sys

import eventlet
import eventlet.patcher

native_time = eventlet.patcher.original("time")


def child_blocks_the_hub():
    native_time.sleep(1.0)


os.system("true")
child = os.fork()
if child == 0:
    waiter = eventlet.spawn(eventlet.sleep, 0.2)
    eventlet.sleep(0.05)
    child_blocks_the_hub()
    waiter.wait()
    eventlet.sleep(0.3)  # the hub runs again: the stall ends
    print("child done", flush=True)
    sys.exit(0)
_, status = os.waitpid(child, 0)
print("parent done", flush=True)
sys.exit(os.waitstatus_to_exitcode(status))
