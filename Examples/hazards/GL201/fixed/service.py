"""GL201 native-subprocess, fixed: green subprocess everywhere, checked under --patch first.

jobs looks Popen up at call time, after the patch. check_output and getoutput are still
eventlet's non-green ones after the service's own monkey_patch(); greenlight (default
`--patch first`) swaps in green versions of every entry point before the service runs. Run
by plain python, this service avoids them: subprocess.run(..., stdout=PIPE) is green.

    .venv/bin/python Examples/hazards/GL201/fixed/service.py   # the ticker keeps running
    cd Examples/hazards/GL201 && greenlight check fixed/service.py   # no GL201
"""
import eventlet

eventlet.monkey_patch()

import subprocess  # noqa: E402

import jobs  # noqa: E402


def ticks_during(action):
    ticks = []
    ticker = eventlet.spawn(lambda: [ticks.append(eventlet.sleep(0.02)) for _ in range(50)])
    eventlet.sleep(0)
    action()
    ticker.kill()
    return len(ticks)


def main():
    run = subprocess.run
    for what, action in [
            ("jobs.run_job(['sleep', '0.3'])", lambda: jobs.run_job(["sleep", "0.3"])),
            ("subprocess.run(..., stdout=PIPE)",
             lambda: run(["sleep", "0.3"], stdout=subprocess.PIPE, check=True)),
            ("subprocess.run('sleep 0.3', shell=True)",
             lambda: run("sleep 0.3", shell=True, stdout=subprocess.PIPE))]:
        print("%-40s ticker ran %2d times in 0.3 s" % (what, ticks_during(action)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
