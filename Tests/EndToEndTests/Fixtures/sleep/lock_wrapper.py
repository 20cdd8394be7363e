"""Replaces _thread's lock factory, under both of its names, after the patch, with a
function of its own that makes native locks: one GL106 finding for the two names at the
function's line, judged by identity (greenlight does not call it)."""
import eventlet

eventlet.monkey_patch()

import _thread  # noqa: E402

_native_allocate = eventlet.patcher.original("_thread").allocate_lock


def counting_allocate():
    counting_allocate.made += 1
    return _native_allocate()


counting_allocate.made = 0
_thread.allocate_lock = _thread.allocate = counting_allocate
