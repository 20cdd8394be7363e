"""Calls eventlet.monkey_patch from an audit hook, at the first import after the hook."""
import sys

state = {"patched": False}


def hook(event, arguments):
    if event == "import" and not state["patched"]:
        state["patched"] = True
        import eventlet

        eventlet.monkey_patch()


sys.addaudithook(hook)
import json  # noqa: E402,F401

print("patched from an audit hook:", state["patched"])
