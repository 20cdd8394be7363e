"""Green threads: these pass only when the process was patched before the test imported."""

import threading
import time
import unittest

from tests import patched


class GreenThreadTests(unittest.TestCase):
    def test_process_is_patched_first(self):
        self.assertEqual(
            {"thread": True, "socket": True, "time": True},
            {key: value for key, value in patched.state().items() if key != "executable"},
        )

    def test_threads_interleave_on_sleep(self):
        # With green threads, time.sleep(0) yields to the hub, so the two workers take
        # turns; each still runs its own steps in order.
        order = []

        def worker(name):
            for step in range(3):
                order.append((name, step))
                time.sleep(0)

        threads = [threading.Thread(target=worker, args=(name,)) for name in "ab"]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        self.assertEqual([("a", 0), ("a", 1), ("a", 2)], [item for item in order if item[0] == "a"])
        self.assertEqual(6, len(order))
        first_b = order.index(("b", 0))
        self.assertLess(first_b, order.index(("a", 2)), order)

    def test_lock_made_after_patch_is_green(self):
        # Five green threads contend for one lock: a native lock here would deadlock.
        lock = threading.Lock()
        done = []

        def worker(index):
            with lock:
                time.sleep(0.001)
                done.append(index)

        threads = [threading.Thread(target=worker, args=(index,)) for index in range(5)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=10)
        self.assertEqual([0, 1, 2, 3, 4], sorted(done))
