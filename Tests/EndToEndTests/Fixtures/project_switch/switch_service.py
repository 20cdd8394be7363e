"""A dual-mode service in the way OpenStack projects are: it patches itself only when its
own switch asks for eventlet, and runs on native threads otherwise.

    SWITCH_SERVICE_USE_EVENTLET=1 python switch_service.py   # green
    python switch_service.py                                  # native
"""
import os

if os.environ.get("SWITCH_SERVICE_USE_EVENTLET", "") == "1":
    import eventlet

    eventlet.monkey_patch()

import socket  # noqa: E402
import sys  # noqa: E402
import threading  # noqa: E402


def main():
    green = socket.socket.__module__.startswith("eventlet")
    worker = threading.Thread(target=lambda: None)
    worker.start()
    worker.join()
    print("green" if green else "native", "eventlet" in sys.modules)
    return 0


if __name__ == "__main__":
    sys.exit(main())
