"""Patches, then imports os_brick.utils, which replaces time.sleep with its own _sleep
around the sleep it finds (eventlet's green one, here): cooperative, GL106 info."""
import eventlet

eventlet.monkey_patch()

import os_brick.utils  # noqa: E402,F401
