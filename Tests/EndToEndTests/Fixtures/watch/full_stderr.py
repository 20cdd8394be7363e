"""A hub stall reported while file descriptor 2 is a full pipe that nobody reads (a log
collector that stopped reading): the report's write blocks. The service puts its real
stderr back after the stall and exits 0, as under plain python; it must not wait for the
blocked report at exit."""

import os

import eventlet
import eventlet.patcher

native_os = eventlet.patcher.original("os")  # green os.write would wait for room
native_time = eventlet.patcher.original("time")


def blocked_while_stderr_is_full():
    native_time.sleep(0.5)


saved = os.dup(2)
unread, full = os.pipe()
os.set_blocking(full, False)
try:
    while True:
        native_os.write(full, b"x" * 4096)
except BlockingIOError:
    pass
os.set_blocking(full, True)
os.dup2(full, 2)
ticker = eventlet.spawn(lambda: [eventlet.sleep(0.01) for _ in range(80)])
eventlet.sleep(0.05)
eventlet.spawn(blocked_while_stderr_is_full).wait()
eventlet.sleep(0.3)
ticker.wait()
os.dup2(saved, 2)
print("done", flush=True)
