"""GL303 blocking-extension, fixed: eventlet.green.zmq, whose sockets wait in the hub.

The same request: recv() yields to the hub, the worker green thread answers at once.

    .venv/bin/python Examples/hazards/GL303/fixed.py   # the worker answers at once
    cd Examples/hazards/GL303 && greenlight check fixed.py   # no GL303
"""
import eventlet

if not eventlet.patcher.is_monkey_patched("socket"):
    eventlet.monkey_patch()  # run by plain python: patch first, as greenlight does

from eventlet.green import zmq  # noqa: E402  (pyzmq wrapped: waits go through the hub)


def worker(context, endpoint):
    replies = context.socket(zmq.REP)
    replies.connect(endpoint)
    replies.send(b"done: " + replies.recv())
    replies.close()


def main():
    context = zmq.Context()
    requests = context.socket(zmq.REQ)
    requests.setsockopt(zmq.SNDTIMEO, 1000)
    requests.setsockopt(zmq.RCVTIMEO, 1000)
    port = requests.bind_to_random_port("tcp://127.0.0.1")
    eventlet.spawn(worker, context, "tcp://127.0.0.1:%d" % port)
    try:
        requests.send(b"resize image 42")  # waits for the worker to connect
        print("reply:", requests.recv().decode())
    except zmq.Again:
        print("timed out after 1 s: the worker green thread never got to run")
    requests.close(linger=0)
    context.destroy(linger=0)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
