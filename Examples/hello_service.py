"""A small eventlet.wsgi service that shows whether it runs green.

Routes (all on 127.0.0.1):
    GET  /          which green thread served the request, and whether the process is
                    patched (judged by comparing objects, not eventlet's flags)
    GET  /slow      time.sleep(0.2), then answers (green when time is patched)
    GET  /shell     subprocess.check_output(['echo', 'hi'])
    POST /shutdown  stops the server; the process exits 0 (GET works too)

Run it:
    .venv/bin/python Examples/hello_service.py [--port N]    # patches itself
    greenlight run -v Examples/hello_service.py --demo       # patches, greenlight completes
    greenlight run --patch first Examples/hello_service.py   # greenlight patched first

Its patch is conditional, so under greenlight's default (--patch auto) the service patches
itself and greenlight completes that patch the instant it returns (green subprocess,
functools' lock, devices). Under --patch first the module sees an already patched process
and does not patch again.
Patching is judged against eventlet's green objects, not eventlet.patcher.original():
original() re-imports a fresh copy of the module, so its objects never match the ones in
sys.modules, patched or not.
With --demo it starts the server, fires 5 concurrent requests at /slow plus one at / and
one at /shell from green threads of the same process, prints each answer and the total
time (about 0.2 s when the slow requests overlap), then shuts down and exits 0.
"""
import eventlet
import eventlet.green.socket

if __import__("socket").socket is not eventlet.green.socket.socket:
    eventlet.monkey_patch()  # not patched yet (plain python): patch before anything else

import argparse  # noqa: E402
import socket  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import threading  # noqa: E402
import time  # noqa: E402

import eventlet.green.thread  # noqa: E402
import eventlet.wsgi  # noqa: E402
from eventlet.green.urllib import request as green_request  # noqa: E402


def patch_state():
    checks = [("threading.Lock", threading.Lock is eventlet.green.thread.allocate_lock),
              ("socket.socket", socket.socket is eventlet.green.socket.socket),
              ("time.sleep", time.sleep is eventlet.sleep)]
    return ", ".join("%s %s" % (name, "green" if green else "native")
                     for name, green in checks)


class Service:
    def __init__(self, port):
        self.listener = eventlet.listen(("127.0.0.1", port))
        self.port = self.listener.getsockname()[1]
        self.stopped = eventlet.event.Event()

    def app(self, environ, start_response):
        path, method = environ["PATH_INFO"], environ["REQUEST_METHOD"]
        thread = "green thread %#x" % id(eventlet.getcurrent())
        if path == "/":
            body = "hello from %s; %s\n" % (thread, patch_state())
        elif path == "/slow":
            started = time.monotonic()
            time.sleep(0.2)
            body = "slow: slept %.2f s in %s\n" % (time.monotonic() - started, thread)
        elif path == "/shell":
            body = "shell: %s" % subprocess.check_output(["echo", "hi"]).decode()
        elif path == "/shutdown" and method in ("GET", "POST"):
            body = "shutting down\n"
            eventlet.spawn_after(0.05, self.stop)  # let this answer go out first
        else:
            start_response("404 Not Found", [("Content-Type", "text/plain")])
            return [b"not found\n"]
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [body.encode()]

    def stop(self):
        if not self.stopped.ready():
            self.stopped.send()
            self.server.kill()  # GreenletExit ends eventlet.wsgi.server's accept loop

    def start(self):
        self.server = eventlet.spawn(eventlet.wsgi.server, self.listener, self.app,
                                     log_output=False)
        print("listening on http://127.0.0.1:%d" % self.port, flush=True)

    def wait(self):
        self.stopped.wait()
        self.listener.close()


def fetch(url, method="GET"):
    req = green_request.Request(url, method=method, data=b"" if method == "POST" else None)
    with green_request.urlopen(req, timeout=10) as response:
        return response.read().decode().strip()


def demo(service):
    base = "http://127.0.0.1:%d" % service.port
    paths = ["/slow"] * 5 + ["/", "/shell"]
    pool = eventlet.GreenPool()
    started = time.monotonic()
    for path, answer in zip(paths, pool.imap(lambda p: fetch(base + p), paths)):
        print("GET %-6s -> %s" % (path, answer), flush=True)
    elapsed = time.monotonic() - started
    overlapped = "overlapped" if elapsed < 0.2 * 5 else "did NOT overlap"
    print("%d requests in %.2f s: the 5 slow requests (0.2 s each) %s"
          % (len(paths), elapsed, overlapped), flush=True)
    print("POST /shutdown -> %s" % fetch(base + "/shutdown", "POST"), flush=True)
    return 0 if elapsed < 0.2 * 5 else 1


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=0, help="0 picks a free port")
    parser.add_argument("--demo", action="store_true",
                        help="request the routes from green threads, then shut down")
    args = parser.parse_args(argv)
    service = Service(args.port)
    service.start()
    status = demo(service) if args.demo else 0
    service.wait()
    return status


if __name__ == "__main__":
    sys.exit(main())
