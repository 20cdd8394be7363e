#!/usr/bin/env python3
"""Start-up, patch + import, and CPU-bound speed of greenlight against python.

Every measurement is a fresh process, timed from outside with time.perf_counter around
subprocess.run (stdout and stderr to /dev/null) plus the user+sys CPU of the child from
resource.getrusage(RUSAGE_CHILDREN) deltas. All contenders of all cases run in one
interleaved loop: each round runs every case, and the order of the contenders is reversed
on every other round, so drift in machine load hits all of them alike.

Cases (the reference contender of each case is marked *):
  startup  `greenlight run --patch none -c pass`  vs  `* <venv>/bin/python -c pass`
  import   `greenlight run -c "import MODULE"` (greenlight patches first)
           vs  `* <venv>/bin/python -c "import eventlet; eventlet.monkey_patch(); import MODULE"`
           with Examples/ on PYTHONPATH for both (--module, default hello_service)
  cpu      a pure-Python CPU-bound workload (recursive fib, dict/str loop, method calls)
           `greenlight run --patch none -c CODE`  vs  `* /usr/bin/python3 -c CODE`  and
           `<venv>/bin/python -c CODE`. The child also prints the workload's own
           perf_counter time ("inner"), which leaves start-up out of the comparison.

Usage (from anywhere; paths are resolved against the repository):
    .venv/bin/python bench/startup.py .build/release/greenlight
    .venv/bin/python bench/startup.py --rounds 30 shared=.build-bench-shared/release/greenlight \\
        static=.build-bench-static/release/greenlight
Several greenlight binaries (optionally LABEL=PATH) are measured in the same run.
bench/build-variants.sh builds the release variants (shared, swiftstatic, static, nopie) and
python.o relinked three ways (.build-bench-pyo/) for --extra-python; for example:
    bench/build-variants.sh
    .venv/bin/python bench/startup.py shared=.build-bench-shared/release/greenlight \
        swiftstatic=.build-bench-swiftstatic/release/greenlight \
        static=.build-bench-static/release/greenlight nopie=.build-bench-nopie/release/greenlight \
        --extra-python python.o+libpython.so=.build-bench-pyo/python-shared \
        --extra-python python.o+pic.a=.build-bench-pyo/python-pic \
        --extra-python python.o+nopic.a=.build-bench-pyo/python-nopic
Only the standard library is used, so any Python 3.8+ can run this script.
"""

import argparse
import datetime
import os
import platform
import resource
import shlex
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

# The CPU-bound workload. SCALE multiplies the amount of work; 1.0 is about 0.5 s with
# Debian's python3.11 on a 2020s x86-64 core. It prints the workload's own time.
CPU_CODE = """\
import sys, time
SCALE = {scale!r}
def fib(n):
    return n if n < 2 else fib(n - 1) + fib(n - 2)
def mix(n):
    d = {{}}; s = 0
    for i in range(n):
        k = "k%d" % (i % 1000); d[k] = d.get(k, 0) + i; s += len(k) * (i & 7)
    return sorted(d.values())[-1] + s
class P:
    __slots__ = ("x", "y")
    def __init__(self, x, y): self.x = x; self.y = y
    def add(self, o): return P(self.x + o.x, self.y + o.y)
def objs(n):
    p = P(0, 0); one = P(1, 2)
    for _ in range(n): p = p.add(one)
    return p.x
t = time.perf_counter()
for _ in range(max(1, round(SCALE * 8))):
    fib(27)
mix(int(700000 * SCALE)); objs(int(700000 * SCALE))
sys.stdout.write("%.9f\\n" % (time.perf_counter() - t))
"""


class Contender:
    def __init__(self, case, label, argv, env, reference=False, inner=False):
        self.case, self.label, self.argv, self.env = case, label, argv, env
        self.reference, self.inner = reference, inner
        self.wall, self.cpu, self.inner_times = [], [], []

    def run_once(self, cwd):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        done = subprocess.run(self.argv, cwd=cwd, env=self.env, stdin=subprocess.DEVNULL,
                              stdout=subprocess.PIPE if self.inner else subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
        wall = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        if done.returncode != 0:
            raise SystemExit("%s/%s exited %d: %s" % (self.case, self.label, done.returncode,
                                                      shlex.join(self.argv)))
        inner = float(done.stdout.split()[-1]) if self.inner else None
        return wall, cpu, inner

    def record(self, cwd):
        wall, cpu, inner = self.run_once(cwd)
        self.wall.append(wall)
        self.cpu.append(cpu)
        if inner is not None:
            self.inner_times.append(inner)


def check(contender, cwd):
    """Run once with stderr visible, so a broken command fails loudly before timing."""
    done = subprocess.run(contender.argv, cwd=cwd, env=contender.env,
                          stdin=subprocess.DEVNULL, capture_output=True, text=True)
    if done.returncode != 0:
        sys.stderr.write(done.stdout + done.stderr)
        raise SystemExit("%s/%s exited %d: %s" % (contender.case, contender.label,
                                                  done.returncode, shlex.join(contender.argv)))


def parse_binary(spec):
    label, sep, path = spec.partition("=")
    if not sep:
        label, path = None, spec
    resolved = Path(path)
    if not resolved.is_absolute():
        resolved = (Path.cwd() / resolved)
    if not resolved.exists():
        resolved = REPO / path
    resolved = resolved.resolve()
    if not os.access(resolved, os.X_OK):
        raise SystemExit("not an executable: %s" % path)
    if label is None:
        try:
            label = str(resolved.relative_to(REPO.resolve()))
        except ValueError:
            label = str(resolved)
        label = "greenlight " + label.replace("/x86_64-unknown-linux-gnu/", "/")
    return label, str(resolved)


def linkage(binary):
    """One line saying how a greenlight binary gets CPython and the Swift runtime."""
    try:
        out = subprocess.run(["ldd", binary], capture_output=True, text=True).stdout
    except OSError:
        return "ldd unavailable"
    python = "libpython3.11.so" if "libpython3" in out else "static CPython"
    swift = "libswiftCore.so" if "libswiftCore" in out else "static Swift runtime"
    size = os.path.getsize(binary) / 1e6
    return "%s, %s, %.1f MB" % (python, swift, size)


def base_env():
    """The environment of every child: the caller's, minus what would make the sides differ.

    PYTHONDONTWRITEBYTECODE goes too, so that Examples/ is imported from cached bytecode as
    a deployed service would be (the first, untimed run writes Examples/__pycache__).
    """
    env = dict(os.environ)
    for name in ("PYTHONPATH", "PYTHONHOME", "PYTHONSTARTUP", "PYTHONPROFILEIMPORTTIME",
                 "PYTHONDEVMODE", "PYTHONMALLOC", "PYTHONDONTWRITEBYTECODE", "PYTHONWARNINGS",
                 "DISABLE_EVENTLET_PATCHING", "VIRTUAL_ENV", "PYTHONINSPECT", "PYTHONVERBOSE"):
        env.pop(name, None)
    return env


def build_contenders(args, binaries):
    venv_python = str(Path(args.venv) / "bin" / "python")
    env = base_env()
    import_env = dict(env, PYTHONPATH=str(REPO / "Examples"))
    contenders = []
    if "startup" in args.cases:
        contenders.append(Contender("startup", "venv python", [venv_python, "-c", "pass"],
                                    env, reference=True))
        for label, path in args.extra_python:
            contenders.append(Contender("startup", label, [path, "-c", "pass"], env))
        for label, path in binaries:
            contenders.append(Contender(
                "startup", label,
                [path, "run", "--python", args.venv, "--patch", "none", "-c", "pass"], env))
    if "import" in args.cases:
        module = args.module
        contenders.append(Contender(
            "import", "venv python",
            [venv_python, "-c", "import eventlet; eventlet.monkey_patch(); import %s" % module],
            import_env, reference=True))
        for label, path in binaries:
            contenders.append(Contender(
                "import", label,
                [path, "run", "--python", args.venv, "-c", "import %s" % module], import_env))
    if "cpu" in args.cases:
        code = CPU_CODE.format(scale=args.cpu_scale)
        contenders.append(Contender("cpu", "system python", [args.system_python, "-c", code],
                                    env, reference=True, inner=True))
        contenders.append(Contender("cpu", "venv python", [venv_python, "-c", code], env,
                                    inner=True))
        for label, path in args.extra_python:
            contenders.append(Contender("cpu", label, [path, "-c", code], env, inner=True))
        for label, path in binaries:
            contenders.append(Contender(
                "cpu", label,
                [path, "run", "--python", args.venv, "--patch", "none", "-c", code], env,
                inner=True))
    return contenders


def ms(seconds):
    return "%8.1f" % (seconds * 1e3)


def quartiles(values):
    if len(values) < 4:
        return min(values), max(values)
    q = statistics.quantiles(values, n=4)
    return q[0], q[2]


def paired_ratio(values, reference):
    return statistics.median(v / r for v, r in zip(values, reference))


def report_case(case, contenders, title, extra_refs=()):
    rows = [c for c in contenders if c.case == case]
    if not rows:
        return
    ref = next(c for c in rows if c.reference)
    refs = [ref] + [c for c in rows if c.label in extra_refs and c is not ref]
    print()
    print("## %s" % title)
    width = max(len(c.label) for c in rows) + 2
    header = "%-*s %8s %8s %8s %8s %8s" % (width, "contender", "median", "min", "q1", "q3",
                                             "cpu med")
    if rows[0].inner:
        header += " %8s" % "inner"
    for r in refs:
        header += "  %s" % ("÷ " + r.label)
    print(header + "   (ms; ratios: median of per-round ratios, wall"
          + (" | inner" if rows[0].inner else "") + ")")
    for c in rows:
        q1, q3 = quartiles(c.wall)
        line = "%-*s %s %s %s %s %s" % (width, c.label + (" *" if c.reference else ""),
                                         ms(statistics.median(c.wall)), ms(min(c.wall)),
                                         ms(q1), ms(q3), ms(statistics.median(c.cpu)))
        if c.inner:
            line += " %s" % ms(statistics.median(c.inner_times))
        for r in refs:
            cell = "%.3f" % paired_ratio(c.wall, r.wall)
            if c.inner:
                cell += " | %.3f" % paired_ratio(c.inner_times, r.inner_times)
            line += "  %*s" % (len(r.label) + 2, cell)
        print(line)


def main():
    parser = argparse.ArgumentParser(
        description=__doc__.splitlines()[0],
        formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__.split("\n", 1)[1])
    parser.add_argument("greenlight", nargs="+", metavar="[LABEL=]GREENLIGHT",
                        help="greenlight binaries to measure (one or more)")
    parser.add_argument("--rounds", type=int, default=30, help="timed rounds (default 30)")
    parser.add_argument("--warmup", type=int, default=1, help="untimed rounds first (default 1)")
    parser.add_argument("--module", default="hello_service",
                        help="module imported in the import case, found on Examples/ "
                             "(default hello_service)")
    parser.add_argument("--venv", default=str(REPO / ".venv"),
                        help="the virtual environment with eventlet (default <repo>/.venv)")
    parser.add_argument("--system-python", default="/usr/bin/python3",
                        help="the statically linked reference for the cpu case")
    parser.add_argument("--cases", default="startup,import,cpu",
                        help="comma-separated subset of startup,import,cpu")
    parser.add_argument("--extra-python", action="append", default=[], metavar="LABEL=PATH",
                        help="another python executable for the startup and cpu cases, e.g. "
                             "python.o relinked another way (repeatable)")
    parser.add_argument("--cpu-scale", type=float, default=1.0,
                        help="amount of CPU-bound work (1.0 is about 0.5 s)")
    args = parser.parse_args()
    args.cases = [c.strip() for c in args.cases.split(",") if c.strip()]
    unknown = set(args.cases) - {"startup", "import", "cpu"}
    if unknown:
        parser.error("unknown cases: %s" % ", ".join(sorted(unknown)))
    args.venv = str(Path(args.venv).resolve())
    if "import" in args.cases:
        mod = args.module.split(".")[0]
        if not ((REPO / "Examples" / (mod + ".py")).exists()
                or (REPO / "Examples" / mod).is_dir()):
            parser.error("module %s is not in %s (pick one with --module, e.g. deadlock_spec)"
                         % (args.module, REPO / "Examples"))
    binaries = [parse_binary(spec) for spec in args.greenlight]
    extra = []
    for spec in args.extra_python:
        label, sep, path = spec.partition("=")
        if not sep:
            parser.error("--extra-python wants LABEL=PATH, got %s" % spec)
        extra.append((label, path))
    args.extra_python = extra
    contenders = build_contenders(args, binaries)

    print("# greenlight vs python, %s" % datetime.datetime.now().isoformat(timespec="seconds"))
    print("# reproduce: cd %s && %s" % (shlex.quote(os.getcwd()),
                                        shlex.join([sys.executable] + sys.argv)))
    print("# host: %s, %s CPUs, load average %s" % (
        platform.platform(), os.cpu_count(), " ".join("%.2f" % x for x in os.getloadavg())))
    print("# rounds: %d timed (+%d warm-up), order reversed every other round; cwd %s"
          % (args.rounds, args.warmup, REPO))
    for label, path in binaries:
        print("# %s: %s" % (label, linkage(path)))
    for label, path in args.extra_python:
        print("# %s: %s" % (label, path))
    print("# children run without PYTHONPATH (Examples/ for the import case only), "
          "VIRTUAL_ENV, PYTHONDONTWRITEBYTECODE, DISABLE_EVENTLET_PATCHING")
    print("# venv python: %s -> %s" % (Path(args.venv) / "bin" / "python",
                                       os.path.realpath(Path(args.venv) / "bin" / "python")))
    print("# system python: %s -> %s" % (args.system_python,
                                         os.path.realpath(args.system_python)))
    sys.stdout.flush()

    for c in contenders:
        check(c, REPO)
    total = args.warmup + args.rounds
    for round_index in range(total):
        order = contenders if round_index % 2 == 0 else list(reversed(contenders))
        for c in order:
            if round_index < args.warmup:
                c.run_once(REPO)
            else:
                c.record(REPO)
        sys.stderr.write("\rround %d/%d" % (round_index + 1, total))
        sys.stderr.flush()
    sys.stderr.write("\n")

    report_case("startup", contenders, "start-up of `pass` (no patching)")
    report_case("import", contenders,
                "patch + import %s (greenlight patches itself; python -c patches first)"
                % args.module)
    report_case("cpu", contenders,
                "CPU-bound pure Python, --cpu-scale %g (cpu med = user+sys of the process)"
                % args.cpu_scale, extra_refs=("venv python",))
    print()
    print("* reference; ratio > 1 means slower than the reference. q1/q3: quartiles of wall.")


if __name__ == "__main__":
    main()
