"""Replaces time.sleep, before the patch, with a wrapper of eventlet's sleep, and binds it
under a second name: the patch replaces the wrapper, which two globals still hold (GL107,
one info finding at the wrapper's line)."""
import time

import eventlet


def sleep(seconds):
    eventlet.sleep(seconds)


time.sleep = sleep

from time import sleep as pause  # noqa: E402

eventlet.monkey_patch()
