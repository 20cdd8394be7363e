"""Replaces time.sleep, after the patch, with a wrapper of the native sleep: every green
thread stalls while it waits (GL106, an error at the wrapper's line)."""
import eventlet

eventlet.monkey_patch()

import time  # noqa: E402

_native_sleep = eventlet.patcher.original("time").sleep


def sleep(seconds):
    _native_sleep(seconds)


time.sleep = sleep
