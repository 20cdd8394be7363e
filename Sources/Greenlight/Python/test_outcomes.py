"""greenlight test --compare: the outcome of every test, as the runner reported it.

Run by the suite's own python (not under greenlight), with the stream or file a runner
wrote:

    python test_outcomes.py subunit STREAM   a subunit v2 stream (stestr, subunit.run)
    python test_outcomes.py junit FILE       a JUnit XML file (pytest --junitxml)

Writes one JSON object a line: {"id": ..., "status": ..., "detail": ...}, in the order the
tests were first seen. status is what the runner said: pass, fail, error, skip, or, for a
test that started and never ended, inprogress; detail is the failure's first line. A
JUnit XML file has no record of the test a KeyboardInterrupt stopped: the starts that
greenlight_pytest_starts.py wrote into FILE.starts, when there is one, name it (a test
that started and is not in the XML; after the XML's tests, in the order they started).
What a subunit stream carries that is not subunit (a runner's own text on the stdout it
shares with the stream: stestr's "Failed to import test module") is written, byte for byte
and in order, to STREAM.stdout. Exit status 0, or 2 when the input cannot
be read.
"""

import json
import sys


def first_line(text):
    """The line a reader needs of a failure: the exception line of a traceback (its last
    non-empty line), else the first non-empty line."""
    lines = [line.strip() for line in (text or "").splitlines() if line.strip()]
    if not lines:
        return ""
    if lines[0].startswith("Traceback (most recent call last)"):
        return lines[-1]
    return lines[0]


def subunit_outcomes(path):
    import subunit
    import testtools

    order = []
    tests = {}

    def seen(test_id):
        if test_id not in tests:
            tests[test_id] = {"id": test_id, "status": None, "detail": ""}
            order.append(test_id)
        return tests[test_id]

    class Collect(testtools.StreamResult):
        def __init__(self, text_out):
            super().__init__()
            self.texts = {}
            self.text_out = text_out

        def status(self, test_id=None, test_status=None, test_tags=None, runnable=True,
                   file_name=None, file_bytes=None, eof=False, mime_type=None,
                   route_code=None, timestamp=None):
            if test_id is None:
                if file_name == "stdout" and file_bytes:
                    self.text_out.write(bytes(file_bytes))
                return
            test = seen(test_id)
            if file_name is not None and file_bytes:
                key = (test_id, file_name)
                self.texts[key] = self.texts.get(key, b"") + bytes(file_bytes)
            if test_status is None or test_status == "exists":
                return
            if test_status == "inprogress":
                test["status"] = "inprogress"
                return
            test["status"] = {
                "success": "pass", "xfail": "pass", "skip": "skip",
                "fail": "fail", "uxsuccess": "fail",
            }.get(test_status, "error")
            if test["status"] == "fail":
                text = self.texts.get((test_id, "traceback"), b"")
                if not text and test_status == "uxsuccess":
                    text = b"unexpected success"
                test["detail"] = first_line(text.decode("utf-8", "replace"))
            elif test["status"] == "skip":
                reason = self.texts.get((test_id, "reason"), b"")
                test["detail"] = first_line(reason.decode("utf-8", "replace"))

    with open(path, "rb") as stream, open(path + ".stdout", "wb") as text_out:
        result = Collect(text_out)
        result.startTestRun()
        subunit.ByteStreamToStreamResult(stream, non_subunit_name="stdout").run(result)
        result.stopTestRun()
    for test_id in order:
        test = tests[test_id]
        if test["status"] is None:
            continue  # listed (exists) and never started
        yield test


def junit_outcomes(path):
    import xml.etree.ElementTree as ElementTree

    root = ElementTree.parse(path).getroot()
    reported = set()
    for case in root.iter("testcase"):
        classname = case.get("classname") or ""
        name = case.get("name") or ""
        test_id = classname + "." + name if classname else name
        if not test_id:
            continue  # pytest's entry for the test a KeyboardInterrupt stopped: no name
        status, detail = "pass", ""
        for child in case:
            if child.tag in ("failure", "error", "skipped"):
                status = {"failure": "fail", "error": "error", "skipped": "skip"}[child.tag]
                detail = first_line(child.get("message") or child.text or "")
                break
        reported.add(test_id)
        yield {"id": test_id, "status": status, "detail": detail}
    for test_id in junit_starts(path + ".starts"):
        if test_id not in reported:
            reported.add(test_id)
            yield {"id": test_id, "status": "inprogress", "detail": ""}


def junit_starts(path):
    """The JUnit ids of the tests greenlight_pytest_starts.py saw start, in order; none
    when it wrote no file. A line cut short by the process's end is left out."""
    try:
        with open(path, "rb") as starts:
            lines = starts.read().decode("utf-8", "replace").splitlines()
    except FileNotFoundError:
        return []
    found = []
    for line in lines:
        try:
            found.append(json.loads(line)["id"])
        except (ValueError, KeyError, TypeError):
            continue
    return found


def main(arguments):
    if len(arguments) != 2 or arguments[0] not in ("subunit", "junit"):
        sys.stderr.write("usage: test_outcomes.py subunit|junit FILE\n")
        return 2
    kind, path = arguments
    try:
        outcomes = list(subunit_outcomes(path) if kind == "subunit" else junit_outcomes(path))
    except Exception as error:  # an unreadable file is said in one sentence
        sys.stderr.write("%s %s cannot be read: %s\n" % (kind, path, error))
        return 2
    for outcome in outcomes:
        sys.stdout.write(json.dumps(outcome) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
