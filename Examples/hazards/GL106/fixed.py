"""GL106 patch-incomplete, fixed: reload only the service's own modules, never a patched one.

socket keeps eventlet's green class, so a socket wait lets the other green threads run.

    .venv/bin/python Examples/hazards/GL106/fixed.py   # ticker keeps ticking
    cd Examples/hazards/GL106 && greenlight check --patch target fixed.py   # no GL106
"""
import eventlet

eventlet.monkey_patch()

import importlib  # noqa: E402
import socket  # noqa: E402
import sys  # noqa: E402

import plugins  # noqa: E402

RELOADABLE = ["plugins"]  # the service's own modules only


def reload_filters():
    for name in RELOADABLE:
        importlib.reload(sys.modules[name])


reload_filters()  # at start-up, and again whenever the filters change


def main():
    ticks = []
    ticker = eventlet.spawn(lambda: [ticks.append(eventlet.sleep(0.02)) for _ in range(50)])
    eventlet.sleep(0)
    a, b = socket.socketpair()  # green
    a.settimeout(0.3)
    try:
        a.recv(1)  # nothing arrives: waits 0.3 s, yielding to the hub
    except socket.timeout:
        pass
    print("socket.socket green: %s; ticker ran %d times during a 0.3 s recv"
          % (socket.socket.__module__ != "socket", len(ticks)))
    ticker.kill()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
