"""GL109 native-thread-local, bad: context._local is made before the patch.

A native threading.local is per OS thread, and all green threads share the one OS thread:
a request that yields comes back to find the other request's id and user in "its"
context. Log lines and authorisation then use the wrong request.

    .venv/bin/python Examples/hazards/GL109/bad.py   # prints the leaked context
    cd Examples/hazards/GL109 && greenlight check --patch target bad.py
"""
import context  # makes context._local, a native thread-local

import eventlet

eventlet.monkey_patch()

import time  # noqa: E402


def handle(request_id, user, seen):
    context.set_request(request_id, user)
    time.sleep(0.01)  # a database call: yields to the other request
    seen[request_id] = context.current()


def main():
    seen, pool = {}, eventlet.GreenPool()
    pool.spawn(handle, "req-1", "project-a", seen)
    pool.spawn(handle, "req-2", "project-b", seen)
    pool.waitall()
    for request_id, (saw_id, saw_user) in sorted(seen.items()):
        verdict = "ok" if saw_id == request_id else "LEAKED from %s" % saw_id
        print("%s saw context (%s, %s): %s" % (request_id, saw_id, saw_user, verdict))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
