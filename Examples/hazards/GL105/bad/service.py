"""GL105 patch-on-import, bad: the service imports a library that patches on import.

The service never asked for eventlet: `import vendorlib` patched the process.

    .venv/bin/python Examples/hazards/GL105/bad/service.py
    cd Examples/hazards/GL105 && greenlight check bad/service.py                 # GL105
    cd Examples/hazards/GL105 && greenlight check --patch target bad/service.py  # GL105
"""
import socket

import vendorlib  # patches the whole process as a side effect (bad/vendorlib/__init__.py)


def main():
    collector = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)  # a stand-in statsd
    collector.bind(("127.0.0.1", 0))
    stats = vendorlib.StatsClient(port=collector.getsockname()[1], prefix="api")
    stats.incr("requests")
    print("statsd got:", collector.recv(64).decode())
    print("process patched by the library:", socket.socket.__module__)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
