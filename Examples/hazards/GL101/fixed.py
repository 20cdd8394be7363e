"""GL101 imported-before-patch, fixed: eventlet.monkey_patch() is the first thing that runs.

Every later import (socket, configparser, the service's own modules) sees green modules.

    .venv/bin/python Examples/hazards/GL101/fixed.py
    cd Examples/hazards/GL101 && greenlight check --patch target fixed.py   # no GL101
"""
import eventlet

eventlet.monkey_patch()  # first: nothing of the service is loaded yet

import configparser  # noqa: E402
import socket  # noqa: E402

CONFIG = configparser.ConfigParser()
CONFIG.read_string("[api]\nhost = 127.0.0.1\n")


def serve_one(listener):
    conn, _ = listener.accept()
    conn.sendall(b"pong " + conn.recv(16))
    conn.close()


def main():
    listener = socket.socket()
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
