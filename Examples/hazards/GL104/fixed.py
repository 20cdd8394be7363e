"""GL104 late-patch, fixed: patch first, then import the service's own modules.

    .venv/bin/python Examples/hazards/GL104/fixed.py
    cd Examples/hazards/GL104 && greenlight check --patch target fixed.py   # no GL104
"""
import eventlet

eventlet.monkey_patch()  # before any module of the service

import socket  # noqa: E402

from inventory import api  # noqa: E402


def serve_one(listener):
    conn, _ = listener.accept()
    conn.sendall(api.handle(conn.recv(1024)))
    conn.close()


def main():
    listener = eventlet.listen(("127.0.0.1", 0))
    server = eventlet.spawn(serve_one, listener)
    client = socket.create_connection(listener.getsockname())
    client.sendall(b'{"item": "widget", "count": 2}')
    print("reply:", client.recv(1024).decode())
    server.wait()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
