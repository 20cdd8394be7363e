"""GL102 native-thread-before-patch, fixed: patch first, then start the poller.

Started after the patch, the poller is a green thread: threading lists it, and it yields
to the hub at every sleep.

    .venv/bin/python Examples/hazards/GL102/fixed.py
    cd Examples/hazards/GL102 && greenlight check --patch target fixed.py   # no GL102
"""
import eventlet

eventlet.monkey_patch()

import threading  # noqa: E402
import time  # noqa: E402

SETTINGS = {"polls": 0, "stop": False}


def poll_settings():
    while not SETTINGS["stop"]:  # stands for re-reading a config file or a key/value store
        SETTINGS["polls"] += 1
        time.sleep(0.02)


POLLER = threading.Thread(target=poll_settings, name="settings-poller", daemon=True)
POLLER.start()  # a green thread: patching already happened


def main():
    names = sorted(thread.name for thread in threading.enumerate())
    polls = SETTINGS["polls"]
    eventlet.sleep(0.2)
    print("threading.enumerate():", names)
    print("settings-poller listed: %s; still polling: %s"
          % ("settings-poller" in names, SETTINGS["polls"] > polls))
    SETTINGS["stop"] = True  # shut down: the poller leaves its loop
    eventlet.sleep(0.1)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
