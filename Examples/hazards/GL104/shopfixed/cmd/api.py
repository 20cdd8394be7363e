"""shopfixed-api console script: the host is looked up after the patch."""
import logging
import socket

import eventlet

LOG = logging.getLogger(__name__)


def serve_one(listener):
    conn, _ = listener.accept()
    conn.sendall(b"sold " + conn.recv(16))
    conn.close()


def main():
    listener = eventlet.listen((socket.gethostbyname("localhost"), 0))
    server = eventlet.spawn(serve_one, listener)
    client = socket.create_connection(listener.getsockname())
    client.sendall(b"widget")
    print("reply:", client.recv(32).decode())
    server.wait()
    return 0
