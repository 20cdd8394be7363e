"""Calls eventlet.monkey_patch from a thread other than the main one, during its import."""
import threading

import eventlet

done = []


def patch():
    eventlet.monkey_patch()
    done.append(True)


worker = threading.Thread(target=patch)
worker.start()
worker.join()
print("patched from a thread:", done)
