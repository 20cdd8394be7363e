"""Calls eventlet.monkey_patch twice during its import, with different arguments."""
import eventlet

eventlet.monkey_patch(socket=True, select=True)
eventlet.monkey_patch(os=False, thread=False)
eventlet.monkey_patch()
print("patched three times")
