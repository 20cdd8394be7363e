"""GL201 native-subprocess, bad: subprocess still blocks the hub after a full monkey_patch().

Two ways: jobs.Popen was bound before the patch, so it is the native class; and eventlet
0.41.3 leaves subprocess.check_output, getoutput and getstatusoutput non-green even after
a full monkey_patch() (they reach a copied `run` that holds a native Popen). While a child
runs, no other green thread gets to run.

    .venv/bin/python Examples/hazards/GL201/bad/service.py     # the ticker stalls
    cd Examples/hazards/GL201 && greenlight check --patch target bad/service.py

greenlight completes the service's full patch when the call returns (in `run --patch
target` as in `check --patch target`), so eventlet's own gap is closed there and check
reports only jobs.Popen.
"""
import jobs  # imported before the patch: holds the native Popen

import eventlet

eventlet.monkey_patch()  # full, yet the calls below still block the hub

import subprocess  # noqa: E402


def ticks_during(action):
    ticks = []
    ticker = eventlet.spawn(lambda: [ticks.append(eventlet.sleep(0.02)) for _ in range(50)])
    eventlet.sleep(0)
    action()
    ticker.kill()
    return len(ticks)


def main():
    for what, action in [
            ("jobs.run_job(['sleep', '0.3'])", lambda: jobs.run_job(["sleep", "0.3"])),
            ("subprocess.check_output(...)", lambda: subprocess.check_output(["sleep", "0.3"])),
            ("subprocess.getoutput('sleep 0.3')", lambda: subprocess.getoutput("sleep 0.3"))]:
        print("%-36s ticker ran %2d times in 0.3 s (~15 if green)"
              % (what, ticks_during(action)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
