#!/usr/bin/env python3
"""The run-time watch's cost: an eventlet.wsgi service under load.

Examples/hello_service.py serves GET / on 127.0.0.1. ApacheBench (`ab` from Debian's
apache2-utils; wrk cannot stop after a count) sends a fixed count of requests (--requests,
8 at a time) to each contender, interleaved over --rounds (the order reversed every other
round):

  * venv python        `<venv>/bin/python Examples/hello_service.py` (it calls
                       eventlet.monkey_patch() itself)
    watch on           `greenlight run Examples/hello_service.py` (patched first, watch on)
    watch off          the same with `--watch off`

For each it prints requests per second (ab's figure), the ratio to python (median of
per-round ratios), the service's CPU time per 1000 requests, the CPU time of the watch's
own thread (`gl-watch`, read from /proc before shutdown) as a share of the service's, and
the service's peak resident memory (ru_maxrss from wait4), and its private (anonymous)
resident memory under load (RssAnon, before shutdown): the executable's clean, shared
file pages count in the first figure and not in the second.

Usage:
    .venv/bin/python bench/watch.py .build/release/greenlight [--rounds 10] [--requests 20000]
"""

import argparse
import datetime
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from startup import REPO, base_env, parse_binary  # noqa: E402

TICKS = os.sysconf("SC_CLK_TCK")


def anonymous_rss(pid):
    """The service's private (anonymous) resident memory in MB, from /proc/PID/status."""
    for line in Path("/proc/%d/status" % pid).read_text().splitlines():
        if line.startswith("RssAnon:"):
            return int(line.split()[1]) / 1024
    return 0.0


def thread_cpu(pid, name):
    """CPU seconds of the service's threads called `name` (0 if there is none)."""
    total = 0
    for task in Path("/proc/%d/task" % pid).iterdir():
        try:
            if (task / "comm").read_text().strip() != name:
                continue
            fields = (task / "stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])
        except OSError:
            continue
    return total / TICKS


class Contender:
    def __init__(self, label, argv, reference=False):
        self.label, self.argv, self.reference = label, argv, reference
        self.rps, self.cpu, self.watch_cpu, self.rss, self.anon = [], [], [], [], []

    def run_once(self, requests, env):
        service = subprocess.Popen(self.argv, cwd=REPO, env=env, stdout=subprocess.PIPE,
                                   stderr=subprocess.DEVNULL, text=True)
        line = service.stdout.readline()
        match = re.search(r"http://127\.0\.0\.1:(\d+)", line)
        if not match:
            service.kill()
            raise SystemExit("%s did not start: %r" % (self.label, line))
        url = "http://127.0.0.1:%s/" % match.group(1)
        done = subprocess.run(["ab", "-q", "-n", str(requests), "-c", "8", url],
                              env=env, capture_output=True, text=True, check=True)
        if not re.search(r"Failed requests:\s+0\b", done.stdout):
            raise SystemExit("%s: failed requests:\n%s" % (self.label, done.stdout))
        rps = float(re.search(r"Requests per second:\s+([\d.]+)", done.stdout).group(1))
        watch = thread_cpu(service.pid, "gl-watch")
        anon = anonymous_rss(service.pid)
        urllib.request.urlopen(url + "shutdown", data=b"").read()
        _, status, usage = os.wait4(service.pid, 0)
        service.stdout.close()
        cpu = usage.ru_utime + usage.ru_stime
        self.rps.append(rps)
        self.cpu.append(cpu)
        self.watch_cpu.append(watch / cpu if cpu else 0)
        self.rss.append(usage.ru_maxrss / 1024)
        self.anon.append(anon)


def main():
    parser = argparse.ArgumentParser(
        description=__doc__.splitlines()[0],
        formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__.split("\n", 1)[1])
    parser.add_argument("greenlight", help="the greenlight binary")
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--requests", type=int, default=20000)
    parser.add_argument("--venv", default=str(REPO / ".venv"))
    args = parser.parse_args()
    if shutil.which("ab") is None:
        raise SystemExit("ab is not installed: apt-get install apache2-utils (make bench does)")
    label, binary = parse_binary(args.greenlight)
    service = ["Examples/hello_service.py", "--port", "0"]
    contenders = [
        Contender("venv python", [str(Path(args.venv) / "bin" / "python")] + service, True),
        Contender("greenlight, watch on", [binary, "run", "--python", args.venv] + service),
        Contender("greenlight, watch off",
                  [binary, "run", "--python", args.venv, "--watch", "off"] + service),
    ]
    env = base_env()
    print("# greenlight watch benchmark, %s" % datetime.datetime.now().isoformat(
        timespec="seconds"))
    print("# %s; %s; %d cores; %d requests a run, ab -c 8" % (
        label, platform.platform(), os.cpu_count(), args.requests))
    for contender in contenders:  # warm-up, untimed
        contender.run_once(min(args.requests, 2000), env)
        contender.rps, contender.cpu, contender.watch_cpu, contender.rss = [], [], [], []
        contender.anon = []
    for round_number in range(args.rounds):
        order = contenders if round_number % 2 == 0 else list(reversed(contenders))
        for contender in order:
            contender.run_once(args.requests, env)
    reference = contenders[0]
    print()
    print("%-24s %10s %8s %14s %12s %10s %10s" % (
        "contender", "req/s", "ratio", "cpu/1k req ms", "watch cpu", "max RSS MB",
        "anon MB"))
    for contender in contenders:
        ratio = statistics.median(r / p for r, p in zip(contender.rps, reference.rps))
        per_thousand = statistics.median(
            c / args.requests * 1000 * 1000 for c in contender.cpu)
        print("%-24s %10.0f %8.3f %14.1f %11.3f%% %10.1f %10.1f" % (
            contender.label + (" *" if contender.reference else ""),
            statistics.median(contender.rps), ratio, per_thousand,
            statistics.median(contender.watch_cpu) * 100, statistics.median(contender.rss),
            statistics.median(contender.anon)))


if __name__ == "__main__":
    main()
