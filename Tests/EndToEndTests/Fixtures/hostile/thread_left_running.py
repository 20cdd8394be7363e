"""Starts threads during its import that are still running when the import ends: a
non-daemon thread that ends on its own after a second, and a daemon native thread that
never ends."""
import threading
import time

import eventlet.patcher

native_time = eventlet.patcher.original("time")
native_thread = eventlet.patcher.original("_thread")


def forever():
    while True:
        native_time.sleep(0.01)


native_thread.start_new_thread(forever, ())
threading.Thread(target=time.sleep, args=(1,), name="ends-after-a-second").start()
print("threads started")
