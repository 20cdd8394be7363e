"""Objects taken on purpose through eventlet.patcher.original, before the patch.

oslo.log's pipe_mutex does this to talk to real threads; none of it is a stale original.
"""
import queue as stdlib_queue  # noqa: F401  loaded before the patch, as test runners do

import eventlet
import eventlet.patcher

queue = eventlet.patcher.original("queue")
Q = queue.SimpleQueue
_threading = eventlet.patcher.original("threading")
WAKE = _threading.Lock()

eventlet.monkey_patch()
