"""Module globals too large to walk: a list of ten million ints and a million instances
(check with --patch target). The scan is bounded per container and per scan, so check
reports in about the time of a small service; LOCK is a native lock made before the patch.
"""
import atexit
import gc
import threading

MARK = object()


class Record:
    def __init__(self, number):
        self.number = number
        self.tags = []
        self.marker = MARK


NUMBERS = [0] * 10_000_000
# A tuple: eventlet's own walk for RLocks (`_upgrade_instances`) follows lists, dicts and
# vars(), not tuples, so only greenlight's scan could materialise these instances' dicts.
RECORDS = tuple(Record(n) for n in range(1_000_000))
LOCK = threading.Lock()


@atexit.register
def count():
    found = sum(1 for o in gc.get_objects() if type(o) is dict and o.get("marker") is MARK)
    print(f"materialised instance dicts: {found}", flush=True)


import eventlet  # noqa: E402

eventlet.monkey_patch()
print("patched", flush=True)
