"""GL303 blocking-extension, bad: pyzmq's own sockets wait in C (libzmq), not in the hub.

The service asks a worker over ZeroMQ (REQ/REP on 127.0.0.1). The worker is a green thread
of the same process; the service's send() waits inside libzmq for it to connect, the hub
never runs, the worker never connects, and the request times out after 1 s.

    .venv/bin/python Examples/hazards/GL303/bad.py     # times out after 1 s
    cd Examples/hazards/GL303 && greenlight check bad.py
"""
import eventlet

if not eventlet.patcher.is_monkey_patched("socket"):
    eventlet.monkey_patch()  # run by plain python: patch first, as greenlight does

import zmq  # noqa: E402  GL303: a C-extension client that does not cooperate


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
