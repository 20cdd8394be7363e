"""What a process can say about its own patching: shared by the tests and their children."""

import socket
import sys
import threading
import time


def state():
    """Whether the process is green, judged by object identity (eventlet's own
    is_monkey_patched checks flag names and says False for threading after a full patch)."""
    green = sys.modules.get("eventlet.green.thread")
    return {
        "executable": sys.executable,
        "thread": green is not None and threading.Lock is green.allocate_lock,
        "socket": socket.socket.__module__.startswith("eventlet"),
        "time": time.sleep.__module__.startswith("eventlet"),
    }


if __name__ == "__main__":
    import json

    print(json.dumps(state()))
