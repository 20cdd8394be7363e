#!/usr/bin/env python3
"""greenlight's python front end and `greenlight test` against the venv's python.

Two cases, each interleaved (every round runs every contender; the order is reversed on
every other round), reported as medians and as the median of per-round ratios:

  child    start-up of one child interpreter of a test run: the front end as children
           get it (a link named python, GREENLIGHT_REPORT_DIR set, so the process also
           writes its report) running `-c pass`, against
           `* <venv>/bin/python -c "import eventlet; eventlet.monkey_patch()"` (the same
           work, done by python); plain `<venv>/bin/python -c pass` is shown for scale.
  suite    a whole suite: `greenlight test -- ARGS` against `* <venv>/bin/python ARGS` in
           the suite's folder (default: Examples/suite with `-m pytest -q -p
           no:cacheprovider`; --suite and --venv select another, such as a real library's
           suite under stestr). The suite must pass both ways. Examples/suite only passes
           when every process is patched, so there the venv's python patches through a
           sitecustomize on PYTHONPATH (--reference-patched, the default for it); a real
           library's suite runs under plain python. Fewer rounds: --suite-rounds.

Usage (paths resolved against the repository):
    .venv/bin/python bench/frontend.py .build/release/greenlight
    .venv/bin/python bench/frontend.py .build/release/greenlight --cases suite \\
        --suite /work/scratch/src/oslo_concurrency-7.6.1 --venv /work/scratch/oslo-venv \\
        --suite-args "-m stestr run" --reference-env TEST_EVENTLET=1 --suite-rounds 3
"""

import argparse
import datetime
import os
import platform
import shlex
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from startup import REPO, Contender, base_env, check, parse_binary, report_case  # noqa: E402


def main():
    parser = argparse.ArgumentParser(
        description=__doc__.splitlines()[0],
        formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__.split("\n", 1)[1])
    parser.add_argument("greenlight", metavar="GREENLIGHT", help="the greenlight binary")
    parser.add_argument("--rounds", type=int, default=30, help="child rounds (default 30)")
    parser.add_argument("--suite-rounds", type=int, default=5, help="suite rounds (default 5)")
    parser.add_argument("--cases", default="child,suite", help="child,suite (default both)")
    parser.add_argument("--venv", default=str(REPO / ".venv"), help="the venv (default .venv)")
    parser.add_argument("--suite", default=str(REPO / "Examples" / "suite"),
                        help="the suite's folder (default Examples/suite)")
    parser.add_argument("--suite-args", default="-m pytest -q -p no:cacheprovider",
                        help="python's arguments for the runner")
    parser.add_argument("--reference-env", action="append", default=[], metavar="NAME=VALUE",
                        help="an environment variable for the reference python only (for"
                        " example TEST_EVENTLET=1, how oslo's tox runs its suite patched)")
    parser.add_argument("--reference-patched", choices=("auto", "yes", "no"), default="auto",
                        help="patch the reference python through a sitecustomize (auto: only"
                        " for Examples/suite)")
    args = parser.parse_args()
    cases = set(args.cases.split(","))
    label, binary = parse_binary(args.greenlight)
    venv_python = str(Path(args.venv) / "bin" / "python")
    env = base_env()
    # The suite's example test that loads MySQLdb is a finding on purpose; not here.
    env["GREENLIGHT_EXAMPLE_CLEAN"] = "1"

    with tempfile.TemporaryDirectory(prefix="greenlight-bench-") as folder:
        link = os.path.join(folder, "python")
        os.symlink(binary, link)
        reports = os.path.join(folder, "reports")
        os.mkdir(reports)
        child_env = dict(env, GREENLIGHT_PYTHON=args.venv, GREENLIGHT_REPORT_DIR=reports)
        patch = "import warnings; warnings.simplefilter('ignore'); import eventlet; " \
                "eventlet.monkey_patch()"
        contenders = []
        if "child" in cases:
            contenders += [
                Contender("child", "venv python + monkey_patch", [venv_python, "-c", patch],
                          env, reference=True),
                Contender("child", "front end (test child)", [link, "-c", "pass"], child_env),
                Contender("child", "front end (no report)", [link, "-c", "pass"],
                          dict(env, GREENLIGHT_PYTHON=args.venv)),
                Contender("child", "venv python, nothing", [venv_python, "-c", "pass"], env),
            ]
        suite_args = shlex.split(args.suite_args)
        patched = args.reference_patched == "yes" or (
            args.reference_patched == "auto"
            and Path(args.suite).resolve() == (REPO / "Examples" / "suite").resolve())
        reference_env = dict(env, **dict(item.split("=", 1) for item in args.reference_env))
        reference_label = " ".join(["venv python"] + args.reference_env)
        if patched:
            site = os.path.join(folder, "site")
            os.mkdir(site)
            with open(os.path.join(site, "sitecustomize.py"), "w") as handle:
                handle.write(patch.replace("; ", "\n") + "\n")
            reference_env = dict(reference_env, PYTHONPATH=site)
            reference_label = "venv python + sitecustomize patch"
        suite = []
        if "suite" in cases:
            suite = [
                Contender("suite", reference_label, [venv_python] + suite_args, reference_env,
                          reference=True),
                Contender("suite", "greenlight test",
                          [binary, "test", "--python", args.venv, "--"] + suite_args, env),
            ]
        print("# greenlight front end benchmark, %s" % datetime.datetime.now().isoformat(
            timespec="seconds"))
        print("# %s; %s; %d cores" % (label, platform.platform(), os.cpu_count()))
        for contender in contenders:
            check(contender, REPO)
        for contender in suite:
            check(contender, args.suite)
        for round_number in range(args.rounds):
            order = contenders if round_number % 2 == 0 else list(reversed(contenders))
            for contender in order:
                contender.record(REPO)
            for name in os.listdir(reports):
                os.unlink(os.path.join(reports, name))
        for round_number in range(args.suite_rounds if suite else 0):
            order = suite if round_number % 2 == 0 else list(reversed(suite))
            for contender in order:
                contender.record(args.suite)
        report_case("child", contenders, "child interpreter start-up (%d rounds)" % args.rounds)
        report_case("suite", suite, "whole suite: %s in %s (%d rounds)" % (
            args.suite_args, args.suite, args.suite_rounds))


if __name__ == "__main__":
    main()
