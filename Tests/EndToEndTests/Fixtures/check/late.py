"""Patches late: socket and a native lock come first (check with --patch target)."""
import socket
import threading

LOCK = threading.Lock()


class Pool:
    _guard = threading.Lock()


import eventlet  # noqa: E402

eventlet.monkey_patch()
print("patched", flush=True)

if __name__ == "__main__":
    print("serving")
