"""Patches late: socket and a native lock come first (check with --patch target)."""
import socket
import threading

LOCK = threading.Lock()


class Pool:
    _guard = threading.Lock()


def synchronized(function):
    lock = threading.Lock()

    def wrapper(*arguments):
        with lock:
            return function(*arguments)
    return wrapper


@synchronized
def refresh():
    return "refreshed"


import eventlet  # noqa: E402

eventlet.monkey_patch()
print("patched", flush=True)

if __name__ == "__main__":
    print("serving")
