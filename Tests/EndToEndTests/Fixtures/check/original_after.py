"""Objects taken on purpose through eventlet.patcher.original, after the patch."""
import eventlet
import eventlet.patcher

eventlet.monkey_patch()

queue = eventlet.patcher.original("queue")
Q = queue.SimpleQueue
_threading = eventlet.patcher.original("threading")
WAKE = _threading.Lock()
