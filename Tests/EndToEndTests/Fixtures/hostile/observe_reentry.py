"""Re-enters greenlight's audit hook while it records an event.

sys.settrace(None) raises an audit event 30 frames deep with the cyclic GC's threshold at 1:
any GC-tracked allocation made while the hook records (a frame object, say) collects the
cycle below, whose __del__ raises 20,000 sys.setprofile events of its own, enough to grow
the hook's event array several times over. Plain python prints both lines.
"""
import gc
import sys


class Cycle:
    def __init__(self):
        self.me = self

    def __del__(self):
        for _ in range(20000):
            sys.setprofile(None)


def deep(depth):
    if depth:
        return deep(depth - 1)
    Cycle()
    gc.set_threshold(1)
    try:
        sys.settrace(None)
    finally:
        gc.set_threshold(700)
    gc.collect()


deep(30)
print("the hook was re-entered and the service went on", flush=True)
print("done")
