"""shop-api console script: `greenlight run --entry shop.cmd.api:main`."""
import socket

import eventlet

import shop


def serve_one(listener):
    conn, _ = listener.accept()
    conn.sendall(b"sold " + conn.recv(16))
    conn.close()


def main():
    listener = eventlet.listen((shop.DEFAULT_HOST, 0))
    server = eventlet.spawn(serve_one, listener)
    client = socket.create_connection(listener.getsockname())
    client.sendall(b"widget")
    print("reply:", client.recv(32).decode())
    server.wait()
    return 0
