#!/usr/bin/env python3
"""What the default mode costs: reading the service's source before it runs (--patch auto).

nova-compute's --help from the sweep's venv (nova 34.0.0 from PyPI), started four ways in one
interleaved loop (each round runs every contender; the order is reversed on every other
round, so drift in machine load hits all of them alike):

  auto     greenlight run --entry nova.cmd.compute:main --help   (reads nova's source, then
           runs it as target: nova chooses native threads)
  target   the same with --patch target                          (reads the source too, to
           know whether nova patches later)
  none     the same with --patch none                            (reads nothing)
  venv*    <sweep>/bin/python -c "...main()" --help              (the reference)
  system   /usr/bin/python3 -c "...main()" --help with the venv's site-packages on sys.path

Each figure is the median wall time of a fresh process; ratios are to venv.

Usage (from the repository, after make test has made .venv-sweep):
    .venv/bin/python bench/auto.py [--rounds 15] [.build/release/greenlight]
"""

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SWEEP = REPO / ".venv-sweep"
SITE = SWEEP / "lib" / "python3.11" / "site-packages"
MAIN = "import sys; sys.argv[0] = 'nova-compute'; from nova.cmd.compute import main; main()"


def contenders(greenlight):
    entry = ["--entry", "nova.cmd.compute:main", "--help"]
    run = [greenlight, "run", "--python", str(SWEEP)]
    system = f"import sys; sys.path[:0] = [{str(SITE)!r}]; " + MAIN
    return {
        "auto": run + entry,
        "target": run + ["--patch", "target"] + entry,
        "none": run + ["--patch", "none"] + entry,
        "venv": [str(SWEEP / "bin" / "python"), "-c", MAIN, "--help"],
        "system": ["/usr/bin/python3", "-c", system, "--help"],
    }


def once(command, environment):
    started = time.perf_counter()
    done = subprocess.run(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=environment)
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        sys.exit(f"{command[0]} ended with {done.returncode}: {' '.join(command)}")
    return elapsed


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("greenlight", nargs="?", default=str(REPO / ".build/release/greenlight"))
    parser.add_argument("--rounds", type=int, default=15)
    options = parser.parse_args()
    if not (SWEEP / "bin" / "python").exists():
        sys.exit("bench/auto.py needs .venv-sweep (make .venv-sweep/.installed)")
    environment = {
        key: value for key, value in os.environ.items()
        if key not in ("VIRTUAL_ENV", "OS_NOVA_DISABLE_EVENTLET_PATCHING")
    }
    cases = contenders(options.greenlight)
    names = list(cases)
    times = {name: [] for name in names}
    for name in names:  # a warm-up round: page cache and .pyc files
        once(cases[name], environment)
    for index in range(options.rounds):
        order = names if index % 2 == 0 else list(reversed(names))
        for name in order:
            times[name].append(once(cases[name], environment))
    reference = statistics.median(times["venv"])
    print(f"nova-compute --help, {options.rounds} rounds, median wall time; ratio to venv")
    for name in names:
        median = statistics.median(times[name])
        print(f"  {name:7} {median * 1000:8.1f} ms  {median / reference:5.2f}")
    auto = statistics.median(times["auto"])
    none = statistics.median(times["none"])
    print(f"  reading nova's source (auto - none): {(auto - none) * 1000:+.1f} ms")


if __name__ == "__main__":
    main()
