"""Checks the hazard examples against their expected.json, with plain python (no greenlight).

For every folder with an expected.json:
- every finding that names a file and line points at a line of the example that mentions
  the finding's rule id (files under `site-packages/` are looked up in this interpreter's
  site-packages and must exist);
- every entry of "runs" is run in the example folder with this interpreter, and its exit
  status and output are compared ("stdout" is a substring, "stdout_re" a regex searched
  for). "how" is "plain" (python FILE, or the --entry function called), "patched-first"
  (eventlet.monkey_patch() before the file runs as __main__, as `greenlight run` does) or
  "pre-import:MODULE" (MODULE imported before the file runs).

    .venv/bin/python Examples/hazards/verify_examples.py [FOLDER...]

Deadlock watchdogs are shortened to 2 s (DEADLOCK_WATCHDOG_SECONDS). Exit 0 when all pass.
"""
import json
import os
import re
import subprocess
import sys
import sysconfig
import time

HERE = os.path.dirname(os.path.abspath(__file__))
SITE_PACKAGES = sysconfig.get_paths()["purelib"]
RUN_AS_MAIN = (
    "import os, runpy, sys\n"
    "{before}\n"
    "sys.argv = sys.argv[1:]\n"
    "sys.path[0] = os.path.dirname(os.path.abspath(sys.argv[0]))\n"
    "runpy.run_path(sys.argv[0], run_name='__main__')\n")
PATCH_FIRST = ("import warnings\n"
               "with warnings.catch_warnings():\n"
               "    warnings.simplefilter('ignore')\n"
               "    import eventlet\n"
               "eventlet.monkey_patch()")


def command(run):
    argv, how = run["argv"], run["how"]
    if argv[0] == "--entry":
        module, function = argv[1].split(":")
        assert how == "plain", how
        return [sys.executable, "-c", "import sys, %s as m; sys.exit(m.%s())" % (module, function)]
    if how == "plain":
        return [sys.executable] + argv
    if how == "patched-first":
        return [sys.executable, "-c", RUN_AS_MAIN.format(before=PATCH_FIRST)] + argv
    if how.startswith("pre-import:"):
        before = "import " + how.split(":", 1)[1]
        return [sys.executable, "-c", RUN_AS_MAIN.format(before=before)] + argv
    raise ValueError(how)


def findings(expected):
    cases = [expected.get("bad", {})]
    cases += [variant.get("bad", {}) for variant in expected.get("variants", [])]
    for case in cases:
        yield from case.get("findings", [])


def check_lines(folder, expected, failures):
    for finding in findings(expected):
        if "line" not in finding:
            continue
        name = finding["file"]
        if name.startswith("site-packages/"):
            path = os.path.join(SITE_PACKAGES, name[len("site-packages/"):])
            marker = None
        else:
            path = os.path.join(HERE, folder, name)
            marker = finding["rule"]
        try:
            with open(path) as source:
                line = source.read().splitlines()[finding["line"] - 1]
        except (OSError, IndexError):
            failures.append("%s: %s:%d does not exist" % (folder, name, finding["line"]))
            continue
        if marker and marker not in line:
            failures.append("%s: %s:%d does not mention %s: %r"
                            % (folder, name, finding["line"], marker, line.strip()))


def check_runs(folder, expected, failures):
    env = dict(os.environ, DEADLOCK_WATCHDOG_SECONDS="2", PYTHONWARNINGS="ignore")
    for run in expected.get("runs", []):
        label = "%s: %s %s" % (folder, run["how"], " ".join(run["argv"]))
        started = time.monotonic()
        try:
            result = subprocess.run(command(run), cwd=os.path.join(HERE, folder), env=env,
                                    stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                    text=True, timeout=60)
        except subprocess.TimeoutExpired:
            failures.append("%s: still running after 60 s" % label)
            continue
        problems = []
        if result.returncode != run["exit"]:
            problems.append("exit %d, expected %d" % (result.returncode, run["exit"]))
        if "stdout" in run and run["stdout"] not in result.stdout:
            problems.append("no %r in the output" % run["stdout"])
        if "stdout_re" in run and not re.search(run["stdout_re"], result.stdout):
            problems.append("no match for %r in the output" % run["stdout_re"])
        status = "ok" if not problems else "FAILED: " + "; ".join(problems)
        print("%-60s %5.1f s  %s" % (label, time.monotonic() - started, status), flush=True)
        if problems:
            failures.append("%s: %s\n--- stdout\n%s--- stderr\n%s"
                            % (label, "; ".join(problems), result.stdout, result.stderr[-2000:]))


def main(folders):
    folders = folders or sorted(name for name in os.listdir(HERE)
                                if os.path.exists(os.path.join(HERE, name, "expected.json")))
    failures = []
    for folder in folders:
        with open(os.path.join(HERE, folder, "expected.json")) as file:
            expected = json.load(file)
        check_lines(folder, expected, failures)
        check_runs(folder, expected, failures)
    for failure in failures:
        print(failure, file=sys.stderr)
    print("%d examples, %d problems" % (len(folders), len(failures)))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
