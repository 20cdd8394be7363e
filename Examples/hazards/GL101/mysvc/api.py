"""The API service's request handling; imported after mysvc.cmd patched everything."""
import configparser
import socket

CONFIG = configparser.ConfigParser()
CONFIG.read_string("[api]\nhost = 127.0.0.1\n")


def listen():
    listener = socket.socket()  # green: socket was first imported after the patch
    listener.bind((CONFIG["api"]["host"], 0))
    listener.listen()
    return listener


def serve_one(listener):
    conn, _ = listener.accept()
    conn.sendall(b"pong " + conn.recv(16))
    conn.close()
