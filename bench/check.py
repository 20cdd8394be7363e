#!/usr/bin/env python3
"""greenlight check on a generated 2,000-module service, and the audit hook's cost.

Cases (reference contender marked *), interleaved over rounds as in bench/startup.py:
  check-target  `greenlight check --patch target --entry svcgen.cmd.api:main`
                vs `* python -c "import svcgen.cmd.api"`: the service patches itself in
                svcgen/cmd/__init__.py (the canonical layout), then imports 2,000 modules
  check-first   `greenlight check -m svcgen.app` (greenlight patches first)
                vs `* python -c "import eventlet; eventlet.monkey_patch(); import svcgen.app"`
  hook          events/second of the audit hook: a loop of N `id()` calls (one
                "builtins.id" audit event each) and a control loop of N `abs()` calls (no
                event), through `greenlight run --patch target` (which keeps its hook
                recording until the service patches) and the venv's python, plus
                python with an empty Python-level hook (sys.addaudithook) for comparison.
                Per-event cost = ((gl id - py id) - (gl abs - py abs)) / N.

Usage:  .venv/bin/python bench/check.py [--rounds 10] [--modules 2000] .build/release/greenlight
"""
import argparse
import os
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from startup import Contender, base_env, check, parse_binary, report_case  # noqa: E402

MODULE = '''"""Generated module {index} of the benchmark service."""
import json
import os
import threading

from svcgen.p{package:02d} import {previous}

LIMIT = {index}
_CACHE = {{"name": "m{index:04d}", "limit": LIMIT}}
_LOCK = threading.Lock()


def load(path=os.sep, *, decode=json.loads):
    with _LOCK:
        return decode(json.dumps(_CACHE)), path


class Handler{index}:
    retries = 3

    def __init__(self, name="m{index:04d}"):
        self.name = name
        self.items = []

    def handle(self, request, timeout=5.0):
        self.items.append(request)
        return {previous}.LIMIT + LIMIT + len(self.items)


HANDLER = Handler{index}()
'''


def generate(root, modules, per_package=100):
    """Writes svcgen/ under root: cmd/__init__.py patches, app.py imports every package."""
    package = root / "svcgen"
    (package / "cmd").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "cmd" / "__init__.py").write_text("import eventlet\n\neventlet.monkey_patch()\n")
    (package / "cmd" / "api.py").write_text("import svcgen.app  # noqa: F401\n\n\ndef main():\n"
                                             "    return 0\n")
    packages = (modules + per_package - 1) // per_package
    (package / "app.py").write_text("".join("import svcgen.p%02d  # noqa: F401\n" % p
                                            for p in range(packages)))
    for p in range(packages):
        folder = package / ("p%02d" % p)
        folder.mkdir()
        names = ["m%04d" % i for i in range(p * per_package, min(modules, (p + 1) * per_package))]
        (folder / "__init__.py").write_text("".join("from . import %s  # noqa: F401\n" % n
                                                    for n in names))
        for position, name in enumerate(names):
            index = int(name[1:])
            previous = names[position - 1] if position else "m%04d" % index
            if previous == name:
                previous = "json as _json_module"
                text = MODULE.replace("from svcgen.p{package:02d} import {previous}",
                                      "import json as _json_module")
                text = text.replace("{previous}.LIMIT", "0")
                (folder / (name + ".py")).write_text(text.format(index=index, package=p,
                                                                   previous=previous))
            else:
                (folder / (name + ".py")).write_text(MODULE.format(index=index, package=p,
                                                                   previous=previous))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter,
                                     epilog=__doc__.split("\n", 1)[1])
    parser.add_argument("greenlight", metavar="[LABEL=]GREENLIGHT")
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--modules", type=int, default=2000)
    parser.add_argument("--events", type=int, default=2_000_000)
    args = parser.parse_args()
    label, binary = parse_binary(args.greenlight)
    repo = Path(__file__).resolve().parent.parent
    python = str(repo / ".venv" / "bin" / "python")
    env = base_env()

    with tempfile.TemporaryDirectory(prefix="greenlight-bench-") as folder:
        root = Path(folder)
        generate(root, args.modules)
        n = args.events
        contenders = [
            Contender("check-target", "python import", [python, "-c", "import svcgen.cmd.api"],
                      env, reference=True),
            Contender("check-target", label, [binary, "check", "--python", str(repo / ".venv"),
                                              "--patch", "target", "--entry",
                                              "svcgen.cmd.api:main"], env),
            Contender("check-first", "python patch+import",
                      [python, "-c", "import eventlet; eventlet.monkey_patch(); import svcgen.app"],
                      env, reference=True),
            Contender("check-first", label, [binary, "check", "--python", str(repo / ".venv"),
                                             "-m", "svcgen.app"], env),
        ]
        loops = {"id": "for i in range(%d): id(i)" % n, "abs": "for i in range(%d): abs(i)" % n}
        for kind, code in loops.items():
            contenders += [
                Contender("hook-" + kind, "python", [python, "-c", code], env, reference=True),
                # --patch target: the hook is installed and recording (run --patch first
                # and none install none).
                Contender("hook-" + kind, label, [binary, "run", "--python", str(repo / ".venv"),
                                                   "--patch", "target", "-c", code], env),
                Contender("hook-" + kind, "python + empty Python hook",
                          [python, "-c", "import sys; sys.addaudithook(lambda e, a: None)\n"
                           + code], env),
            ]
        print("# reproduce: %s %s" % (sys.executable, " ".join(sys.argv)))
        print("# %d generated modules in %s; %d rounds, order reversed every other round"
              % (args.modules, folder, args.rounds))
        for contender in contenders:
            check(contender, folder)  # also writes the bytecode caches
        for round_number in range(args.rounds):
            order = contenders if round_number % 2 == 0 else list(reversed(contenders))
            for contender in order:
                contender.record(folder)
            print("round %d/%d" % (round_number + 1, args.rounds), end="\r", file=sys.stderr)
        report_case("check-target", contenders,
                    "check --patch target vs python importing the service that patches itself")
        report_case("check-first", contenders,
                    "check (greenlight patches first) vs python patching then importing")
        report_case("hook-id", contenders, "%d id() calls: one audit event each" % n)
        report_case("hook-abs", contenders, "%d abs() calls: no audit event (control)" % n)

        def median(case, who):
            return statistics.median(next(c for c in contenders
                                          if c.case == case and c.label == who).wall)
        ours = ((median("hook-id", label) - median("hook-id", "python"))
                - (median("hook-abs", label) - median("hook-abs", "python"))) / n * 1e9
        theirs = ((median("hook-id", "python + empty Python hook") - median("hook-id", "python"))
                  - (median("hook-abs", "python + empty Python hook")
                     - median("hook-abs", "python"))) / n * 1e9
        print()
        print("## audit hook cost per event (ns): greenlight's C hook %.1f, an empty Python"
              " hook %.1f" % (ours, theirs))


if __name__ == "__main__":
    main()
