"""A green service for greenlight debug's tests: green threads that tick or stay parked,
a named green thread, and a stop event the tests set through the backdoor."""
import os
import sys
import threading

import eventlet
import eventlet.event

stop = eventlet.event.Event()
state = {"ticks": 0}


def ticking_worker():
    while not stop.ready():
        state["ticks"] += 1
        eventlet.sleep(0.01)


def parked_in_wait():
    stop.wait()


workers = [eventlet.spawn(ticking_worker), eventlet.spawn(parked_in_wait)]
named = threading.Thread(target=parked_in_wait, name="named-green-worker")
named.start()
# A test that fails before it stops the service must not leave it running.
eventlet.spawn_after(120, os._exit, 3)
print("ready", flush=True)
stop.wait()
for worker in workers:
    worker.wait()
named.join()
print("stopped after %s" % ("ticks" if state["ticks"] else "no ticks"), flush=True)
