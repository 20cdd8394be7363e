"""GL109 native-thread-local, fixed: patch first; context._local is a green local.

Made after the patch, threading.local is eventlet's, one per green thread: each request
keeps its own id and user across its waits.

    .venv/bin/python Examples/hazards/GL109/fixed.py   # every request sees its own context
    cd Examples/hazards/GL109 && greenlight check --patch target fixed.py   # no GL109
"""
import eventlet

eventlet.monkey_patch()

import context  # noqa: E402  (context._local is made now: green)

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
