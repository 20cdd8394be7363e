"""A unittest suite for greenlight test --compare (Tests/EndToEndTests/CompareTests.swift):
each test's outcome under eventlet and on native threads is known, one of each kind."""

import threading
import unittest


def patched():
    """Whether this process runs on eventlet's patched threads."""
    try:
        from eventlet import patcher
    except ImportError:
        return False
    return patcher.is_monkey_patched("thread")


class Modes(unittest.TestCase):
    def test_a_passes_in_both(self):
        self.assertEqual(sum(range(4)), 6)

    def test_b_needs_eventlet(self):
        import eventlet  # refused with eventlet forbidden: an error of this test

        self.assertTrue(eventlet.sleep)

    def test_c_fails_on_native_threads(self):
        self.assertTrue(patched(), "threading is not green here")

    def test_d_skips_on_native_threads(self):
        if not patched():
            self.skipTest("needs green threads")

    def test_e_hangs_on_native_threads(self):
        # What a deadlock of native threads looks like: a wait nobody will end.
        if not patched():
            threading.Event().wait()

    def test_f_never_reached_on_native_threads(self):
        pass
