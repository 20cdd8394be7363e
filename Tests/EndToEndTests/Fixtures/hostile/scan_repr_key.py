"""A dict key whose __repr__ raises, beside a second native lock (check with --patch target).

Both locks are made before the patch, so both are GL108; the scan must name the first
without calling Key.__repr__.
"""
import threading


class Key:
    def __repr__(self):
        raise RuntimeError("Key.__repr__ ran during the scan")


TABLE = {Key(): threading.Lock()}
SECOND = threading.Lock()

import eventlet  # noqa: E402

eventlet.monkey_patch()
print("patched", flush=True)

if __name__ == "__main__":
    print("serving")
