"""Patches itself first, then proves that the patch is complete; exit 0 only if it is.

- check_output, getoutput and getstatusoutput let a green ticker thread run while their
  child runs (Examples/subprocess_ticker.py's method: the child waits for a flag file that
  only the ticker creates, and gives up after CHILD_PATIENCE seconds);
- a functools.cached_property defined after the patch owns a green RLock;
- `except subprocess.CalledProcessError` catches check_output's error.

After eventlet's own monkey_patch() alone (the venv's python) all three fail: exit 1.
"""
import eventlet

eventlet.monkey_patch()

import functools  # noqa: E402
import os  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402

PATIENCE = float(os.environ.get("CHILD_PATIENCE", "3"))
SAW_FLAG, GAVE_UP = 0, 3


def child_command(flag):
    # Sleeps 0.3 s, then polls for the flag for PATIENCE seconds; exit 0 if it appeared.
    rounds = max(1, int(PATIENCE / 0.02))
    return ("sleep 0.3; i=0; while [ $i -lt %d ]; do [ -e '%s' ] && exit %d; sleep 0.02;"
            " i=$((i+1)); done; exit %d" % (rounds, flag, SAW_FLAG, GAVE_UP))


def status_of(name, command):
    if name == "check_output":
        try:
            subprocess.check_output(["sh", "-c", command])
            return SAW_FLAG
        except Exception as error:  # the copied CalledProcessError too
            return getattr(error, "returncode", None)
    if name == "getoutput":
        return int(subprocess.getoutput("(%s); echo $?" % command).split()[-1])
    if name == "getstatusoutput":
        try:
            return subprocess.getstatusoutput(command)[0]
        except Exception as error:  # eventlet's copy raises on a non-zero status
            return getattr(error, "returncode", None)
    raise ValueError(name)


def cooperative(name, folder):
    flag = os.path.join(folder, name + ".flag")

    def ticker():
        while True:
            eventlet.sleep(0.01)
            open(flag, "w").close()

    thread = eventlet.spawn(ticker)
    try:
        return status_of(name, child_command(flag)) == SAW_FLAG
    finally:
        thread.kill()


class Service:
    @functools.cached_property
    def settings(self):
        return {}


def main():
    failures = 0
    with tempfile.TemporaryDirectory() as folder:
        for name in ["check_output", "getoutput", "getstatusoutput"]:
            verdict = cooperative(name, folder)
            print("%-16s %s" % (name, "cooperative" if verdict else "BLOCKED the hub"),
                  flush=True)
            failures += not verdict
    lock = type(Service.__dict__["settings"].lock)
    print("cached_property lock: %s.%s" % (lock.__module__, lock.__qualname__))
    failures += lock.__module__ != "threading"
    try:
        subprocess.check_output(["false"])
        print("check_output(['false']) raised nothing")
        failures += 1
    except subprocess.CalledProcessError as error:
        print("CalledProcessError caught by its public class, status", error.returncode)
    except Exception as error:
        print("check_output raised", type(error).__module__ + "." + type(error).__qualname__,
              "which except subprocess.CalledProcessError misses")
        failures += 1
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
