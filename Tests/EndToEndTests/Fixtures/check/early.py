"""Patches before anything else."""
import eventlet

eventlet.monkey_patch()

import threading  # noqa: E402

LOCK = threading.Lock()

if __name__ == "__main__":
    print("serving")
