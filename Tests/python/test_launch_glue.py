"""The launch's glue: the device wrappers, the forbid-eventlet finder, the entry wrapper,
the monkey_patch watch, the sleep probe and debugpy's pre-import, each run as the binary
runs it, with real descriptors, modules and threads."""

import _thread
import os
import stat
import subprocess
import sys
import tempfile
import time
import unittest

import eventlet

from glue import GLUE, compiled, load


class DeviceTests(unittest.TestCase):
    def setUp(self):
        self.calls = []

        def recorder(kind):
            def call(fd, argument):
                self.calls.append(kind)
                return (os.read if kind.endswith("read") else os.write)(fd, argument)
            return call

        self.wrappers = load("devices", "eventlet.green.os")
        self.wrappers.update(
            _is_device=stat.S_ISCHR, _fstat=os.fstat, _isatty=os.isatty,
            _native_read=recorder("native read"), _native_write=recorder("native write"),
            _green_read=recorder("green read"), _green_write=recorder("green write"))

    def test_dev_null_goes_straight_to_the_system_call(self):
        fd = os.open(os.devnull, os.O_RDWR)
        self.addCleanup(os.close, fd)
        self.assertEqual(self.wrappers["write"](fd, b"x"), 1)
        self.assertEqual(self.wrappers["read"](fd, 1), b"")
        self.assertEqual(self.calls, ["native write", "native read"])

    def test_a_pipe_still_waits_on_the_hub(self):
        reader, writer = os.pipe()
        self.addCleanup(os.close, reader)
        self.addCleanup(os.close, writer)
        self.wrappers["write"](writer, b"y")
        self.assertEqual(self.wrappers["read"](reader, 1), b"y")
        self.assertEqual(self.calls, ["green write", "green read"])


class ForbidEventletTests(unittest.TestCase):
    def setUp(self):
        self.ban = load("forbid_eventlet", "greenlight.forbid")
        self.finder = self.ban["GreenlightForbidsEventlet"]
        self.addCleanup(sys.meta_path.remove, self.finder)

    def test_the_finder_is_first_and_lets_other_imports_through(self):
        self.assertIs(sys.meta_path[0], self.finder)
        self.assertIsNone(self.finder.find_spec("json"))
        self.assertIsNone(self.finder.find_spec("eventletish"))

    def test_a_refusal_names_the_module_and_keeps_the_importer_s_line(self):
        line = sys._getframe().f_lineno + 2
        with self.assertRaises(ImportError) as raised:
            self.finder.find_spec("eventlet.green.os")
        self.assertEqual(raised.exception.name, "eventlet.green.os")
        self.assertIn("greenlight forbade importing eventlet.green.os (--forbid-eventlet)",
                      str(raised.exception))
        self.assertEqual(self.ban["refused"],
                         [("eventlet.green.os", __file__, line, raised.exception)])


class EntryTests(unittest.TestCase):
    def setUp(self):
        folder = tempfile.TemporaryDirectory()
        self.addCleanup(folder.cleanup)
        package = os.path.join(folder.name, "gl_entry_pkg")
        os.mkdir(package)
        open(os.path.join(package, "__init__.py"), "w").close()
        with open(os.path.join(package, "cli.py"), "w") as module:
            module.write("import sys\nclass Service:\n    @staticmethod\n"
                         "    def start():\n        return len(sys.argv[0])\n")
        sys.path.insert(0, folder.name)
        self.addCleanup(sys.path.remove, folder.name)
        self.addCleanup(setattr, sys, "argv", list(sys.argv))
        for name in ("gl_entry_pkg", "gl_entry_pkg.cli"):
            self.addCleanup(sys.modules.pop, name, None)

    def test_the_wrapper_calls_the_attribute_and_exits_with_its_result(self):
        main = {"__name__": "__main__", "__greenlight_entry__": {
            "argv0": "/bin/svc-start", "module": "gl_entry_pkg.cli",
            "attribute": "Service.start"}}
        with self.assertRaises(SystemExit) as exited:
            exec(compiled("entry"), main)
        self.assertEqual(exited.exception.code, len("/bin/svc-start"))
        self.assertEqual(sys.argv[0], "/bin/svc-start")
        self.assertIs(main["gl_entry_pkg"], sys.modules["gl_entry_pkg"])
        self.assertNotIn("__greenlight_entry__", main)


def run_python(code):
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=60, env={**os.environ, "PYTHONWARNINGS": "ignore"})


class WatchTests(unittest.TestCase):
    """In a python of its own: this one has imported eventlet.patcher already."""

    def test_the_callback_gets_eventlet_patcher_once_it_has_executed(self):
        result = run_python(
            "import sys\n"
            f"namespace = {{'__name__': 'greenlight.watch'}}\n"
            f"exec(open({str(GLUE / 'watch.py')!r}).read(), namespace)\n"
            "seen = []\n"
            "namespace['after_patcher'] = lambda module: seen.append(\n"
            "    (module.__name__, hasattr(module, 'monkey_patch')))\n"
            "import eventlet\n"
            "print(seen, sys.meta_path[0] is namespace['GreenlightPatchWatch'])\n")
        self.assertEqual(result.stdout, "[('eventlet.patcher', True)] True\n", result.stderr)


class SleepProbeTests(unittest.TestCase):
    def setUp(self):
        self.yields = load("sleep_probe", "greenlight.sleep_probe")["yields"]

    def test_a_green_sleep_lets_the_hub_run(self):
        verdict = self.yields(eventlet.sleep, _thread.start_new_thread, _thread.allocate_lock)
        self.assertIs(verdict, True)

    def test_a_native_sleep_does_not(self):
        verdict = self.yields(time.sleep, _thread.start_new_thread, _thread.allocate_lock)
        self.assertIs(verdict, False)

    def test_a_sleep_that_raises_has_no_verdict(self):
        def fails(seconds):
            raise RuntimeError(seconds)

        self.assertIsNone(self.yields(fails, _thread.start_new_thread, _thread.allocate_lock))


class DebugpyTests(unittest.TestCase):
    def test_the_pre_import_leaves_no_stand_in_and_no_gevent_settings(self):
        result = run_python(
            "import os, sys\n"
            "os.environ.pop('GEVENT_SUPPORT', None)\n"
            f"namespace = {{'__name__': 'greenlight.debugpy'}}\n"
            f"exec(open({str(GLUE / 'debugpy.py')!r}).read(), namespace)\n"
            "namespace['pre_import']()\n"
            "print('debugpy' in sys.modules, 'gevent' in sys.modules,\n"
            "      'GEVENT_SUPPORT' in os.environ)\n")
        self.assertEqual(result.stdout, "True False False\n", result.stderr)


if __name__ == "__main__":
    unittest.main()
