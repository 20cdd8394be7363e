"""Imports os_brick.utils, whose _sleep then wraps the native sleep, and patches after: the
patch replaces _sleep, which os_brick.utils still holds and which blocks (GL107 error at
_sleep's line)."""
import os_brick.utils  # noqa: F401

import eventlet  # noqa: E402

eventlet.monkey_patch()
