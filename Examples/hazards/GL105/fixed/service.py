"""GL105 patch-on-import, fixed: the service patches in its entry point; the library doesn't.

Whether the process is green is the service's decision (or greenlight's), made once, first.

    .venv/bin/python Examples/hazards/GL105/fixed/service.py
    cd Examples/hazards/GL105 && greenlight check fixed/service.py   # no GL105
"""
import eventlet

eventlet.monkey_patch()  # the service's own decision, before anything else

import socket  # noqa: E402

import vendorlib  # noqa: E402  (imports nothing but socket; patches nothing)


def main():
    collector = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)  # a stand-in statsd
    collector.bind(("127.0.0.1", 0))
    stats = vendorlib.StatsClient(port=collector.getsockname()[1], prefix="api")
    stats.incr("requests")
    print("statsd got:", collector.recv(64).decode())
    print("process patched by the service:", socket.socket.__module__)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
