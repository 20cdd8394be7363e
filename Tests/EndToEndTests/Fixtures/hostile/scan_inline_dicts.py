"""Instances whose attributes live in 3.11's inline values, never asked for their __dict__
(check with --patch target). The scan must find SERVICES[0].lock, a native lock made before
the patch, without materialising any instance's dict; at exit the fixture counts the dicts
that were. Tuples, because eventlet's own walk for RLocks (`_upgrade_instances`) calls vars()
on every object it reaches through lists, dicts and attributes, but skips tuples.
"""
import atexit
import gc
import threading

MARK = object()


class Holder:
    def __init__(self, lock=None):
        self.lock = lock
        self.items = []
        self.marker = MARK


SERVICES = (Holder(threading.Lock()),) + tuple(Holder() for _ in range(200))


@atexit.register
def count():
    found = sum(1 for o in gc.get_objects() if type(o) is dict and o.get("marker") is MARK)
    print(f"materialised instance dicts: {found}", flush=True)


import eventlet  # noqa: E402

eventlet.monkey_patch()
print("patched", flush=True)
