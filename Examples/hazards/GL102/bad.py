"""GL102 native-thread-before-patch, bad: a background poller starts before the patch.

The settings poller is a real OS thread by the time eventlet.monkey_patch() runs. After
the patch it keeps running natively, but threading no longer knows it: it is missing from
threading.enumerate(), its time.sleep is now eventlet's (a second hub in that OS thread),
and when it ends threading's bookkeeping raises KeyError ("Exception ignored in thread
started by ..."). Still running at interpreter exit, it crashes the process (SIGSEGV).

    .venv/bin/python Examples/hazards/GL102/bad.py   # poller missing from enumerate(),
                                                     # KeyError on stderr when it stops, exit 0
    cd Examples/hazards/GL102 && greenlight check --patch target bad.py
"""
import threading
import time

SETTINGS = {"polls": 0, "stop": False}


def poll_settings():
    while not SETTINGS["stop"]:  # stands for re-reading a config file or a key/value store
        SETTINGS["polls"] += 1
        time.sleep(0.02)


POLLER = threading.Thread(target=poll_settings, name="settings-poller", daemon=True)
POLLER.start()  # GL102: an OS thread other than the main one exists at patch time

import eventlet  # noqa: E402

eventlet.monkey_patch()


def main():
    names = sorted(thread.name for thread in threading.enumerate())
    polls = SETTINGS["polls"]
    eventlet.sleep(0.2)
    print("threading.enumerate():", names)
    print("settings-poller listed: %s; still polling natively: %s"
          % ("settings-poller" in names, SETTINGS["polls"] > polls))
    SETTINGS["stop"] = True  # shut down: the poller leaves its loop
    eventlet.sleep(0.1)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
