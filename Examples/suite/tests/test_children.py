"""Children of the suite: patched first when started with sys.executable."""

import json
import multiprocessing
import os
import subprocess
import sys
import unittest

from tests import patched

SUITE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def report_state(queue):
    queue.put(patched.state())


class ChildProcessTests(unittest.TestCase):
    def test_multiprocessing_spawn_child_is_patched_first(self):
        context = multiprocessing.get_context("spawn")
        queue = context.Queue()
        child = context.Process(target=report_state, args=(queue,))
        child.start()
        state = queue.get(timeout=60)
        child.join(timeout=60)
        self.assertEqual(0, child.exitcode)
        self.assertEqual(sys.executable, state["executable"])
        self.assertTrue(state["thread"] and state["socket"] and state["time"], state)

    def test_subprocess_with_sys_executable_is_patched_first(self):
        output = subprocess.check_output(
            [sys.executable, "-m", "tests.patched"], cwd=SUITE, timeout=60
        )
        state = json.loads(output)
        self.assertEqual(sys.executable, state["executable"])
        self.assertTrue(state["thread"] and state["socket"] and state["time"], state)

    def test_another_interpreter_is_not_touched(self):
        # Without PYTHONPATH, in case a reference run patches through a sitecustomize.
        environment = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
        output = subprocess.check_output(
            ["/usr/bin/python3", "-m", "tests.patched"], cwd=SUITE, timeout=60, env=environment
        )
        state = json.loads(output)
        self.assertFalse(state["thread"] or state["socket"] or state["time"], state)
