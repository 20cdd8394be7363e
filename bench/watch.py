#!/usr/bin/env python3
"""Services under load: an eventlet.wsgi service and swift's proxy, greenlight against python.

ApacheBench (`ab` from Debian's apache2-utils; wrk cannot stop after a count) sends a fixed
count of requests (--requests, 8 at a time) to each contender, interleaved over --rounds
(the order reversed every other round). Two services (--service, both by default):

  wsgi         Examples/hello_service.py serves GET / on 127.0.0.1 (it calls
               eventlet.monkey_patch() itself), from --venv:
                 venv python *   `<venv>/bin/python Examples/hello_service.py`
                 LABEL           `greenlight run Examples/hello_service.py` (watch on)
                 LABEL, watch off  the same with `--watch off`
  swift-proxy  swift 2.38.3's proxy from --sweep-venv (make test's .venv-sweep, from PyPI),
               one-node rings on 127.0.0.1 written to a scratch folder, `workers = 0` (one
               process), GET /healthcheck:
                 venv python *   `<sweep>/bin/python <sweep>/bin/swift-proxy-server CONF`
                 LABEL           `greenlight run --script swift-proxy-server CONF` (the
                                 default mode: swift patches itself, late), watch on
                 LABEL, watch off  the same with `--watch off`

The venv's python is /usr/bin/python3.11 itself (a venv links to it), so it is also the
system python's figure. For each contender it prints requests per second (ab's figure), the
ratio to python (median of per-round ratios), the service's CPU time per 1000 requests, the
CPU time of the watch's own thread (`gl-watch`, read from /proc before shutdown) as a share
of the service's, the peak resident memory (ru_maxrss from wait4), and the private
(anonymous) resident memory under load (RssAnon, before shutdown): the executable's clean,
shared file pages count in the first figure and not in the second.

Usage:
    .venv/bin/python bench/watch.py [--rounds 10] [--requests 20000] [--service wsgi]
        [LABEL=]GREENLIGHT [[LABEL=]GREENLIGHT ...]
"""

import argparse
import datetime
import os
import platform
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from startup import REPO, base_env, linkage, parse_binary  # noqa: E402

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


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class WsgiService:
    """Examples/hello_service.py: it prints its URL, and stops on POST /shutdown."""

    name = "eventlet.wsgi hello_service, GET /"

    def __init__(self, venv):
        self.venv = venv
        self.arguments = ["Examples/hello_service.py", "--port", "0"]
        self.cwd = REPO

    def python(self):
        return [str(Path(self.venv) / "bin" / "python")] + self.arguments

    def greenlight(self, binary, options):
        return [binary, "run", "--python", self.venv] + options + self.arguments

    def started(self, service):
        line = service.stdout.readline()
        match = re.search(r"http://127\.0\.0\.1:(\d+)", line)
        return "http://127.0.0.1:%s/" % match.group(1) if match else None

    def stop(self, service, url):
        urllib.request.urlopen(url + "shutdown", data=b"").read()


class SwiftProxy:
    """swift's proxy with one-node rings in a scratch folder; SIGTERM stops it."""

    name = "swift 2.38.3 proxy (workers = 0), GET /healthcheck"

    def __init__(self, venv):
        self.venv = venv
        self.folder = tempfile.mkdtemp(prefix="greenlight-bench-swift-")
        self.cwd = self.folder
        self.port = free_port()
        self.configure()
        self.arguments = [self.folder + "/proxy-server.conf"]

    def configure(self):
        Path(self.folder, "swift.conf").write_text(
            "[swift-hash]\nswift_hash_path_suffix = greenlight\n"
            "swift_hash_path_prefix = greenlight\n\n"
            "[storage-policy:0]\nname = gold\ndefault = yes\n")
        builder = str(Path(self.venv) / "bin" / "swift-ring-builder")
        python = str(Path(self.venv) / "bin" / "python")
        for ring in ("account", "container", "object"):
            for step in (["create", "8", "1", "1"], ["add", "r1z1-127.0.0.1:6200/d1", "100"],
                         ["rebalance"]):
                subprocess.run([python, builder, "%s/%s.builder" % (self.folder, ring)] + step,
                               check=True, capture_output=True)
        Path(self.folder, "proxy-server.conf").write_text(
            "[DEFAULT]\nbind_ip = 127.0.0.1\nbind_port = %d\nworkers = 0\nswift_dir = %s\n"
            "log_level = WARNING\n\n"
            "[pipeline:main]\npipeline = healthcheck proxy-server\n\n"
            "[app:proxy-server]\nuse = egg:swift#proxy\n\n"
            "[filter:healthcheck]\nuse = egg:swift#healthcheck\n" % (self.port, self.folder))

    def python(self):
        bin_folder = Path(self.venv) / "bin"
        return [str(bin_folder / "python"), str(bin_folder / "swift-proxy-server")] + self.arguments

    def greenlight(self, binary, options):
        return [binary, "run", "--python", self.venv] + options + \
            ["--script", "swift-proxy-server"] + self.arguments

    def started(self, service):
        url = "http://127.0.0.1:%d/" % self.port
        for _ in range(300):
            if service.poll() is not None:
                return None
            try:
                if urllib.request.urlopen(url + "healthcheck").read() == b"OK":
                    return url + "healthcheck"
            except OSError:
                time.sleep(0.1)
        return None

    def stop(self, service, url):
        service.send_signal(signal.SIGTERM)

    def __del__(self):
        shutil.rmtree(self.folder, ignore_errors=True)


class Contender:
    def __init__(self, label, argv, reference=False):
        self.label, self.argv, self.reference = label, argv, reference
        self.reset()

    def reset(self):
        self.rps, self.cpu, self.watch_cpu, self.rss, self.anon = [], [], [], [], []

    def run_once(self, service_kind, requests, env):
        service = subprocess.Popen(self.argv, cwd=service_kind.cwd, env=env,
                                   stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        url = service_kind.started(service)
        if url is None:
            service.kill()
            service.wait()
            raise SystemExit("%s did not start: %s" % (self.label, " ".join(self.argv)))
        done = subprocess.run(["ab", "-q", "-n", str(requests), "-c", "8", url],
                              env=env, capture_output=True, text=True, check=True)
        if not re.search(r"Failed requests:\s+0\b", done.stdout):
            raise SystemExit("%s: failed requests:\n%s" % (self.label, done.stdout))
        rps = float(re.search(r"Requests per second:\s+([\d.]+)", done.stdout).group(1))
        watch = thread_cpu(service.pid, "gl-watch")
        anon = anonymous_rss(service.pid)
        service_kind.stop(service, url)
        _, status, usage = os.wait4(service.pid, 0)
        service.returncode = status
        service.stdout.close()
        cpu = usage.ru_utime + usage.ru_stime
        self.rps.append(rps)
        self.cpu.append(cpu)
        self.watch_cpu.append(watch / cpu if cpu else 0)
        self.rss.append(usage.ru_maxrss / 1024)
        self.anon.append(anon)


def measure(service_kind, binaries, args, env):
    contenders = [Contender("venv python", service_kind.python(), True)]
    for label, binary in binaries:
        contenders.append(Contender(label, service_kind.greenlight(binary, [])))
        contenders.append(Contender(label + ", watch off",
                                    service_kind.greenlight(binary, ["--watch", "off"])))
    for contender in contenders:  # warm-up, untimed
        contender.run_once(service_kind, min(args.requests, 2000), env)
        contender.reset()
    for round_number in range(args.rounds):
        order = contenders if round_number % 2 == 0 else list(reversed(contenders))
        for contender in order:
            contender.run_once(service_kind, args.requests, env)
    reference = contenders[0]
    print()
    print("## %s" % service_kind.name)
    print("%-30s %9s %8s %14s %10s %10s %9s %9s" % (
        "contender", "req/s", "ratio", "cpu/1k req ms", "watch cpu", "max RSS MB",
        "anon MB", "Δ anon"))
    for contender in contenders:
        ratio = statistics.median(r / p for r, p in zip(contender.rps, reference.rps))
        per_thousand = statistics.median(
            c / args.requests * 1000 * 1000 for c in contender.cpu)
        anon = statistics.median(contender.anon)
        print("%-30s %9.0f %8.3f %14.1f %9.3f%% %10.1f %9.1f %+9.1f" % (
            contender.label + (" *" if contender.reference else ""),
            statistics.median(contender.rps), ratio, per_thousand,
            statistics.median(contender.watch_cpu) * 100, statistics.median(contender.rss),
            anon, anon - statistics.median(reference.anon)))


def main():
    parser = argparse.ArgumentParser(
        description=__doc__.splitlines()[0],
        formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__.split("\n", 1)[1])
    parser.add_argument("greenlight", nargs="+", metavar="[LABEL=]GREENLIGHT",
                        help="greenlight binaries to measure (one or more)")
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--requests", type=int, default=20000)
    parser.add_argument("--service", action="append", choices=["wsgi", "swift-proxy"],
                        help="the services to load (default: both)")
    parser.add_argument("--venv", default=str(REPO / ".venv"))
    parser.add_argument("--sweep-venv", default=str(REPO / ".venv-sweep"))
    args = parser.parse_args()
    if shutil.which("ab") is None:
        raise SystemExit("ab is not installed: apt-get install apache2-utils (make bench does)")
    services = args.service or ["wsgi", "swift-proxy"]
    if "swift-proxy" in services and not (Path(args.sweep_venv) / "bin" /
                                          "swift-proxy-server").exists():
        raise SystemExit("no swift-proxy-server in %s: make test builds that venv "
                         "(or pass --service wsgi)" % args.sweep_venv)
    binaries = [parse_binary(spec) for spec in args.greenlight]
    env = base_env()
    print("# greenlight load benchmark, %s" % datetime.datetime.now().isoformat(
        timespec="seconds"))
    print("# %s; %d cores; %d requests a run, ab -c 8, %d rounds" % (
        platform.platform(), os.cpu_count(), args.requests, args.rounds))
    for label, binary in binaries:
        print("# %s: %s" % (label, linkage(binary)))
    for name in services:
        kind = WsgiService(args.venv) if name == "wsgi" else SwiftProxy(args.sweep_venv)
        measure(kind, binaries, args, env)


if __name__ == "__main__":
    main()
