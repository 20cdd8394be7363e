"""GL107 stale-original, fixed: patch first, so the names bound afterwards are green.

The same `from` imports, base class and default argument, bound after monkey_patch(),
hold eventlet's objects: every wait lets the other green threads run. (Importing the module
instead of the name, `socket.socket` at call time, also avoids the hazard.)

    .venv/bin/python Examples/hazards/GL107/fixed.py   # the ticker runs during every wait
    cd Examples/hazards/GL107 && greenlight check --patch target fixed.py   # no GL107
"""
import eventlet

eventlet.monkey_patch()  # first: everything below binds green objects

import threading  # noqa: E402
import time  # noqa: E402
from socket import socket  # noqa: E402  (green: bound after the patch)
from time import sleep  # noqa: E402  (green)


class BackendConnection(socket):  # base: eventlet's GreenSocket
    """A TCP connection to a backend."""


def retry(call, attempts=3, pause=time.sleep):  # default: eventlet.sleep
    for _ in range(attempts):
        try:
            return call()
        except ConnectionError:
            pause(0.1)


class Heartbeat(threading.Thread):
    def run(self):
        time.sleep(0.1)  # looked up at call time: green after the patch


def ticks_during(action):
    ticks = []
    ticker = eventlet.spawn(lambda: [ticks.append(eventlet.sleep(0.01)) for _ in range(100)])
    eventlet.sleep(0)
    try:
        action()
    except (ConnectionError, TimeoutError):
        pass
    ticker.kill()
    return len(ticks)


def refused():
    raise ConnectionRefusedError


def start_and_join(thread):
    thread.start()
    thread.join()


def main():
    server = BackendConnection()
    server.bind(("127.0.0.1", 0))
    server.listen()
    server.settimeout(0.1)  # nobody connects: accept() waits 0.1 s
    for what, action in [("sleep(0.1)", lambda: sleep(0.1)),
                         ("retry(refused, 2)", lambda: retry(refused, 2)),
                         ("BackendConnection.accept()", server.accept),
                         ("Heartbeat().start(); .join()", lambda: start_and_join(Heartbeat()))]:
        print("%-30s ticker ran %2d times (0: the hub was blocked)"
              % (what, ticks_during(action)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
