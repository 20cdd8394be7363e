"""Does each subprocess entry point let other green threads run while its child runs?

For every entry point a child shell waits for a flag file that only a green "ticker"
thread creates. If the call lets the hub run, the ticker creates the flag and the child
exits 0 at once; if the call blocks the hub, the ticker cannot run, the child gives up
after CHILD_PATIENCE seconds and exits 3, and the entry point is reported as blocking.

    .venv/bin/python Examples/subprocess_ticker.py      # check_output, getoutput and
                                                        # getstatusoutput block (exit 1)
    greenlight run Examples/subprocess_ticker.py        # all cooperative (exit 0)
"""
import os
import sys
import tempfile

import eventlet

eventlet.monkey_patch()

import subprocess  # noqa: E402

PATIENCE = float(os.environ.get("CHILD_PATIENCE", "3"))
SAW_FLAG, GAVE_UP = 0, 3


def child_command(flag):
    # Polls for the flag for PATIENCE seconds; exit 0 if it appeared, 3 if not.
    rounds = max(1, int(PATIENCE / 0.02))
    return ("i=0; while [ $i -lt %d ]; do [ -e '%s' ] && exit %d; sleep 0.02; i=$((i+1));"
            " done; exit %d" % (rounds, flag, SAW_FLAG, GAVE_UP))


def status_of(name, command):
    """Runs `command` through entry point `name` and returns the child's exit status."""
    if name == "Popen.wait":
        return subprocess.Popen(["sh", "-c", command]).wait()
    if name == "call":
        return subprocess.call(["sh", "-c", command])
    if name == "check_call":
        try:
            return subprocess.check_call(["sh", "-c", command])
        except subprocess.CalledProcessError as error:
            return error.returncode
    if name == "check_output":
        try:
            subprocess.check_output(["sh", "-c", command])
            return SAW_FLAG
        except subprocess.CalledProcessError as error:
            return error.returncode
    if name == "run":
        return subprocess.run(["sh", "-c", command], capture_output=True).returncode
    if name == "getoutput":
        return int(subprocess.getoutput("(%s); echo $?" % command).split()[-1])
    if name == "getstatusoutput":
        return subprocess.getstatusoutput(command)[0]
    raise ValueError(name)


ENTRY_POINTS = ["Popen.wait", "call", "check_call", "check_output", "run", "getoutput",
                "getstatusoutput"]


def probe(name, folder):
    flag = os.path.join(folder, name + ".flag")
    ticks = []

    def ticker():
        while True:
            eventlet.sleep(0.01)
            ticks.append(1)
            if len(ticks) == 1:
                open(flag, "w").close()

    thread = eventlet.spawn(ticker)
    try:
        status = status_of(name, child_command(flag))
    except Exception as error:
        # After eventlet's own monkey_patch(), check_output and getstatusoutput raise a
        # CalledProcessError of a copied subprocess module that their callers' `except
        # subprocess.CalledProcessError` misses; read the child's status from it anyway.
        status = getattr(error, "returncode", None)
    finally:
        thread.kill()
    return status == SAW_FLAG, len(ticks)


def main():
    blocked = []
    with tempfile.TemporaryDirectory() as folder:
        for name in ENTRY_POINTS:
            cooperative, ticks = probe(name, folder)
            verdict = "cooperative" if cooperative else "BLOCKED the hub"
            print("%-16s %s (ticks during the call: %d)" % (name, verdict, ticks),
                  flush=True)
            if not cooperative:
                blocked.append(name)
    if blocked:
        print("blocking entry points: " + ", ".join(blocked))
        return 1
    print("every entry point let the ticker run")
    return 0


if __name__ == "__main__":
    sys.exit(main())
