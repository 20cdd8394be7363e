"""GL106 patch-incomplete, bad: a module reload puts the native socket back after the patch.

The service "hot-reloads" the modules its filters use, socket included. importlib.reload
re-executes socket.py in place, so socket.socket is the native class again although
monkey_patch() asked for a green one: every socket made afterwards blocks the hub.

    .venv/bin/python Examples/hazards/GL106/bad.py   # ticker stalls during a socket wait
    cd Examples/hazards/GL106 && greenlight check --patch target bad.py
"""
import eventlet

eventlet.monkey_patch()

import importlib  # noqa: E402
import socket  # noqa: E402
import sys  # noqa: E402

import plugins  # noqa: E402

RELOADABLE = ["socket", "plugins"]  # the reload list grew one module too many


def reload_filters():
    for name in RELOADABLE:
        importlib.reload(sys.modules[name])  # reloading socket undoes the patch


reload_filters()  # at start-up, and again whenever the filters change


def main():
    ticks = []
    ticker = eventlet.spawn(lambda: [ticks.append(eventlet.sleep(0.02)) for _ in range(50)])
    eventlet.sleep(0)
    a, b = socket.socketpair()  # native after the reload
    a.settimeout(0.3)
    try:
        a.recv(1)  # nothing arrives: waits 0.3 s
    except socket.timeout:
        pass
    print("socket.socket green: %s; ticker ran %d times during a 0.3 s recv"
          % (socket.socket.__module__ != "socket", len(ticks)))
    ticker.kill()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
