"""One finding on purpose: a module of the suite imports the blocking MySQLdb driver
(GL301). Skipped when GREENLIGHT_EXAMPLE_CLEAN is set or mysqlclient is not installed."""

import importlib.util
import os
import subprocess
import sys
import unittest

SUITE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SKIP = os.environ.get("GREENLIGHT_EXAMPLE_CLEAN") or importlib.util.find_spec("MySQLdb") is None


@unittest.skipIf(SKIP, "GREENLIGHT_EXAMPLE_CLEAN is set, or mysqlclient is not installed")
class BlockingDriverTests(unittest.TestCase):
    def test_blocking_driver_in_this_process(self):
        from tests import uses_mysqldb

        self.assertTrue(uses_mysqldb.connect_is_native())

    def test_blocking_driver_in_a_child(self):
        code = "from tests import uses_mysqldb; print(uses_mysqldb.connect_is_native())"
        output = subprocess.check_output([sys.executable, "-c", code], cwd=SUITE, timeout=60)
        self.assertEqual(b"True\n", output)
