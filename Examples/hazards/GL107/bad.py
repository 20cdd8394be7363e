"""GL107 stale-original, bad: names bound before the patch keep the blocking originals.

monkey_patch() replaces attributes of the socket and time modules; it cannot reach the
copies this module took first: the `from` imports, the base class, the default argument.
Each one blocks the whole hub when used. (Subclassing threading.Thread early is harmless:
eventlet never replaces Thread, it patches what Thread uses.)

    .venv/bin/python Examples/hazards/GL107/bad.py   # each stale name stalls the ticker
    cd Examples/hazards/GL107 && greenlight check --patch target bad.py
"""
import threading
import time
from socket import socket  # GL107: the native socket.socket
from time import sleep  # GL107: the native time.sleep


class BackendConnection(socket):  # GL107: its base is the native socket.socket
    """A TCP connection to a backend."""


def retry(call, attempts=3, pause=time.sleep):  # GL107: default is the native time.sleep
    for _ in range(attempts):
        try:
            return call()
        except ConnectionError:
            pause(0.1)


class Heartbeat(threading.Thread):  # not stale: threading.Thread is never replaced
    def run(self):
        time.sleep(0.1)  # looked up at call time: green after the patch


import eventlet  # noqa: E402

eventlet.monkey_patch()


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
