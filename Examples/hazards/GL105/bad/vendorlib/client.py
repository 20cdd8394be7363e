"""The statsd client: one UDP datagram per metric."""
import socket


class StatsClient:
    def __init__(self, host="127.0.0.1", port=8125, prefix="svc"):
        self.address = (host, port)
        self.prefix = prefix
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)

    def incr(self, name, count=1):
        self.sock.sendto(b"%s.%s:%d|c" % (self.prefix.encode(), name.encode(), count),
                         self.address)
