"""mysvc-api console script: `greenlight run --entry mysvc.cmd.api:main`.

    cd Examples/hazards/GL101 && greenlight check --patch target --entry mysvc.cmd.api:main
    cd Examples/hazards/GL101 && ../../../.venv/bin/python -c \
        'import sys, mysvc.cmd.api as m; sys.exit(m.main())'
"""
import socket

import eventlet

from mysvc import api


def main():
    listener = api.listen()
    server = eventlet.spawn(api.serve_one, listener)
    client = socket.create_connection(listener.getsockname())
    client.sendall(b"ping")
    print("reply:", client.recv(16).decode())
    server.wait()
    return 0
