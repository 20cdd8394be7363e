"""Installs a trace function and a profile function that raise, during its import. The
exception is the import's; python prints its traceback."""
import sys

KIND = sys.argv[1] if len(sys.argv) > 1 else "trace"


def raising(frame, event, argument):
    if event == "call" and frame.f_code.co_name == "traced":
        raise RuntimeError(f"the {KIND} function raised")
    return raising if KIND == "trace" else None


def traced():
    return 1


if KIND == "trace":
    sys.settrace(raising)
else:
    sys.setprofile(raising)
traced()
