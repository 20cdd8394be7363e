"""GL104 late-patch, bad: the service imports its own modules, then patches.

inventory, inventory.api and inventory.store (and what they import) are loaded unpatched.
Today they bind nothing from a patch target at import, so the service happens to work;
the first module-level lock, `from time import sleep` or thread added to any of them
breaks it silently. greenlight reports the call site and what was imported before it.

    .venv/bin/python Examples/hazards/GL104/bad.py
    cd Examples/hazards/GL104 && greenlight check --patch target bad.py
"""
from inventory import api  # the service's own modules, loaded unpatched

import eventlet

eventlet.monkey_patch()  # GL104: after inventory, inventory.api, inventory.store

import socket  # noqa: E402


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
