"""GL101 imported-before-patch, bad: the service imports first and patches afterwards.

`configparser` and `socket` are loaded before eventlet.monkey_patch() runs. socket is a
patch target: whatever binds its names while it is native (this module, or a library
imported next to it) keeps the blocking original, so the service is green only by luck.
configparser is not a patch target, so it is a warning.

    .venv/bin/python Examples/hazards/GL101/bad.py      # runs: the order is the hazard
    cd Examples/hazards/GL101 && greenlight check --patch target bad.py
"""
import configparser  # GL101 warning: loaded before the patch
import socket  # GL101 error: a patch target, loaded (native) before the patch

import eventlet

eventlet.monkey_patch()  # too late for the two imports above

CONFIG = configparser.ConfigParser()
CONFIG.read_string("[api]\nhost = 127.0.0.1\n")


def serve_one(listener):
    conn, _ = listener.accept()
    conn.sendall(b"pong " + conn.recv(16))
    conn.close()


def main():
    listener = socket.socket()  # green only because the patch replaced socket.socket
    listener.bind((CONFIG["api"]["host"], 0))
    listener.listen()
    server = eventlet.spawn(serve_one, listener)
    client = socket.create_connection(listener.getsockname())
    client.sendall(b"ping")
    print("reply:", client.recv(16).decode())
    server.wait()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
