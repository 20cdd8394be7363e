"""greenlight test --compare's glue: the pytest plugin that records each test's start
(greenlight_pytest_starts.py) and the reader of a runner's record (test_outcomes.py)."""

import json
import os
import pathlib
import re
import shutil
import subprocess
import sys
import tempfile
import unittest
import xml.etree.ElementTree as ElementTree

from glue import GLUE, load

SUITE = {
    "test_top.py": "def test_plain():\n    pass\n",
    "pkg/__init__.py": "",
    "pkg/test_inner.py": (
        "import pytest\n"
        "\n"
        "class TestGroup:\n"
        "    def test_method(self):\n"
        "        pass\n"
        "\n"
        "    @pytest.mark.parametrize('value', ['a::b', 'x[y]', 'a/b.py'])\n"
        "    def test_param(self, value):\n"
        "        assert value != 'a/b.py'\n"
        "\n"
        "@pytest.mark.skip(reason='never')\n"
        "def test_skipped():\n"
        "    pass\n"
    ),
}


class PytestStartsTests(unittest.TestCase):
    def setUp(self):
        self.folder = pathlib.Path(tempfile.mkdtemp())
        self.addCleanup(shutil.rmtree, self.folder)
        for name, text in SUITE.items():
            path = self.folder / "suite" / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        (self.folder / "plugin").mkdir()
        shutil.copy(GLUE / "greenlight_pytest_starts.py", self.folder / "plugin")

    def pytest(self, *arguments, plugin=True):
        environment = dict(os.environ, PYTHONDONTWRITEBYTECODE="1")
        environment.pop("GREENLIGHT_PYTEST_STARTS", None)
        given = ["-m", "pytest", "-p", "no:cacheprovider"]
        if plugin:
            given += ["-p", "greenlight_pytest_starts"]
            environment["PYTHONPATH"] = str(self.folder / "plugin")
            environment["GREENLIGHT_PYTEST_STARTS"] = str(self.folder / "starts")
        return subprocess.run(
            [sys.executable, *given, *arguments], cwd=self.folder / "suite",
            capture_output=True, text=True, env=environment, timeout=120)

    def starts(self):
        lines = (self.folder / "starts").read_text(encoding="utf-8").splitlines()
        return [json.loads(line) for line in lines]

    def junit_ids(self, path):
        ids = []
        for case in ElementTree.parse(path).getroot().iter("testcase"):
            classname, name = case.get("classname"), case.get("name")
            ids.append(classname + "." + name if classname else name)
        return ids

    def test_each_start_has_the_id_the_junit_xml_gives_the_test(self):
        for extra in ([], ["--junit-prefix", "pre"]):
            with self.subTest(extra=extra):
                (self.folder / "starts").unlink(missing_ok=True)
                xml = str(self.folder / "junit.xml")
                ran = self.pytest("--junitxml=" + xml, *extra)
                self.assertEqual(ran.returncode, 1, ran.stdout + ran.stderr)
                started = [start["id"] for start in self.starts()]
                self.assertEqual(started, self.junit_ids(xml))
                self.assertEqual(len(started), 6)

    def test_pytest_prints_the_same_and_reports_the_same_outcomes(self):
        def said(result):
            # The time a run took and the objects' addresses are all that may differ.
            text = re.sub(r" in [0-9.]+s", "", result.stdout)
            return re.sub(r"0x[0-9a-f]+", "0x", text), result.stderr, result.returncode

        with_plugin = said(self.pytest("-v", plugin=True))
        self.assertEqual(with_plugin, said(self.pytest("-v", plugin=False)))
        self.assertNotIn("greenlight", with_plugin[0])

    def test_without_the_variable_it_writes_nothing(self):
        environment = dict(os.environ, PYTHONPATH=str(self.folder / "plugin"))
        environment.pop("GREENLIGHT_PYTEST_STARTS", None)
        ran = subprocess.run(
            [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-p",
             "greenlight_pytest_starts", "-q"], cwd=self.folder / "suite", capture_output=True,
            text=True, env=environment, timeout=120)
        self.assertEqual(ran.returncode, 1, ran.stdout + ran.stderr)
        self.assertFalse((self.folder / "starts").exists())

    def test_the_fallback_mangling_agrees_with_pytest_s(self):
        from _pytest.junitxml import mangle_test_address

        plugin = load("greenlight_pytest_starts", "greenlight_pytest_starts")
        saved = sys.modules["_pytest.junitxml"]
        sys.modules["_pytest.junitxml"] = None  # its import now raises ImportError
        try:
            for nodeid in ["a/b/test_c.py::T::test_d[x::y/z.py]", "test_e.py::test_f", "g.py"]:
                names = mangle_test_address(nodeid)
                expected = ".".join(names[:-1]) + "." + names[-1] if names[:-1] else names[-1]
                self.assertEqual(plugin["junit_id"](nodeid), expected)
                self.assertEqual(plugin["junit_id"](nodeid, "pre"), "pre." + expected)
        finally:
            sys.modules["_pytest.junitxml"] = saved


class JunitOutcomesTests(unittest.TestCase):
    XML = (
        '<?xml version="1.0" encoding="utf-8"?><testsuites><testsuite name="pytest">'
        '<testcase classname="test_m.T" name="test_a" time="0.001" />'
        '<testcase classname="test_m.T" name="test_b" time="0.001">'
        '<failure message="AssertionError: no">Traceback</failure></testcase>'
        '<testcase time="0.000" />'
        "</testsuite></testsuites>"
    )

    def setUp(self):
        self.folder = pathlib.Path(tempfile.mkdtemp())
        self.addCleanup(shutil.rmtree, self.folder)
        self.xml = self.folder / "record"
        self.xml.write_text(self.XML, encoding="utf-8")
        self.reader = load("test_outcomes", "test_outcomes")

    def outcomes(self):
        return [
            (outcome["id"], outcome["status"])
            for outcome in self.reader["junit_outcomes"](str(self.xml))
        ]

    def test_without_starts_the_stopped_test_is_not_there(self):
        self.assertEqual(
            self.outcomes(), [("test_m.T.test_a", "pass"), ("test_m.T.test_b", "fail")])

    def test_a_start_the_xml_has_no_case_for_is_in_progress(self):
        starts = [{"id": "test_m.T.test_" + name, "nodeid": "x"} for name in "abc"]
        text = "".join(json.dumps(start) + "\n" for start in starts) + '{"id": "test_m.T.te'
        (self.folder / "record.starts").write_text(text, encoding="utf-8")
        self.assertEqual(
            self.outcomes(),
            [("test_m.T.test_a", "pass"), ("test_m.T.test_b", "fail"),
             ("test_m.T.test_c", "inprogress")])


if __name__ == "__main__":
    unittest.main()
