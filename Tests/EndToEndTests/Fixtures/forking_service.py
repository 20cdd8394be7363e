"""A green service that forks a child which stays alive (as a fork-based worker pool would):
greenlight debug's backdoor must keep answering in the parent only."""
import os
import signal

import eventlet
import eventlet.event

stop = eventlet.event.Event()
child = os.fork()
if child == 0:
    eventlet.sleep(120)
    os._exit(0)
# A test that fails before it stops the service must not leave it running.
eventlet.spawn_after(120, os._exit, 3)
print("ready", flush=True)
stop.wait()
os.kill(child, signal.SIGKILL)
os.waitpid(child, 0)
print("stopped", flush=True)
