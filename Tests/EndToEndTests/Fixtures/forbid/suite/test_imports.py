"""A test that imports eventlet: under greenlight test --forbid-eventlet it errors."""
import unittest


class EventletImport(unittest.TestCase):
    def test_import(self):
        import eventlet  # noqa: F401  refused in every process of the run

        self.fail("eventlet was imported")
