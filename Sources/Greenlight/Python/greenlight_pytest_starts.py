"""greenlight test --compare: a pytest plugin that records each test's start.

pytest's JUnit XML has no record of the test that was running when a mode's time ran out
(it holds it as a <testcase> without name or class). greenlight loads this module into the
runner with `-p greenlight_pytest_starts` (its folder on PYTHONPATH) and names a file in
GREENLIGHT_PYTEST_STARTS; each test's start is appended to it as one JSON line,
{"id": ..., "nodeid": ...}, before the test's setup runs. `id` is the test's id as the JUnit
XML writes it (classname + "." + name, from pytest's own mangling of the node id), so
test_outcomes.py can tell the test that started and never ended from the ones that did.

It prints nothing and changes no outcome; without the variable it does nothing. Each line
is one write(2) to a file opened for appending: the line is there even when the process is
killed in the test that follows, and xdist's workers and controller may share the file.
"""

import json
import os
import re

VARIABLE = "GREENLIGHT_PYTEST_STARTS"


def junit_id(nodeid, prefix=None):
    """The id test_outcomes.py reads from the JUnit XML for the test `nodeid`: what pytest's
    junitxml plugin writes as classname and name, joined by a dot."""
    try:
        from _pytest.junitxml import bin_xml_escape, mangle_test_address
    except ImportError:  # a pytest without them: its older rule, which they keep
        path, bracket, params = nodeid.partition("[")
        names = path.split("::")
        names[0] = re.sub(r"\.py$", "", names[0].replace("/", "."))
        classnames, name = names[:-1], names[-1] + bracket + params
    else:
        names = mangle_test_address(nodeid)
        classnames, name = names[:-1], str(bin_xml_escape(names[-1]))
    if prefix:
        classnames.insert(0, prefix)
    classname = ".".join(classnames)
    return classname + "." + name if classname else name


class StartRecorder:
    """Appends each test's start to `path`."""

    def __init__(self, path, prefix):
        self.path = path
        self.prefix = prefix

    def pytest_runtest_logstart(self, nodeid, location):
        line = json.dumps({"id": junit_id(nodeid, self.prefix), "nodeid": nodeid}) + "\n"
        descriptor = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            os.write(descriptor, line.encode("utf-8"))
        finally:
            os.close(descriptor)


def pytest_configure(config):
    path = os.environ.get(VARIABLE)
    if path:
        prefix = getattr(config.option, "junitprefix", None)
        config.pluginmanager.register(StartRecorder(path, prefix), "greenlight-pytest-starts")
