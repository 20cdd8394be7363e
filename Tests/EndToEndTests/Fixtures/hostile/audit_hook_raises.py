"""Adds an audit hook that raises for most events, during its import: opening files,
importing, starting processes, reading frames. Python itself then runs on."""
import sys

REFUSED = ("open", "import", "os.", "subprocess.", "sys._getframe", "sys._current_frames",
           "exec", "compile", "object.__setattr__", "sys.settrace", "sys.setprofile")


def hook(event, arguments):
    if event.startswith(REFUSED):
        raise RuntimeError(f"the service's audit hook refuses {event}")


sys.addaudithook(hook)
print("audit hook added")
