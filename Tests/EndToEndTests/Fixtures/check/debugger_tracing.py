"""The same partial patch, made while a trace function is set (a debugger in use): GL402."""
import sys

import eventlet


def tracer(frame, event, arg):
    return None


def setup():
    eventlet.monkey_patch(os=False, thread=False)


sys.settrace(tracer)
setup()
sys.settrace(None)
