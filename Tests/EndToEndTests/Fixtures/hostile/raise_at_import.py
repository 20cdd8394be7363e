"""Raises at import, as a service whose start-up fails does: the kind is sys.argv[1].

Before it raises it makes one hazard that greenlight judges at the instant it happens (a
partial monkey_patch call), so that the report has something seen before the failure.
"""

import sys

import eventlet

eventlet.monkey_patch(thread=False)

KIND = sys.argv[1] if len(sys.argv) > 1 else "runtime"


def fail():
    if KIND == "runtime":
        raise RuntimeError("the configuration could not be read")
    if KIND == "exit-int":
        sys.exit(3)
    if KIND == "exit-zero":
        sys.exit(0)
    if KIND == "exit-none":
        raise SystemExit
    if KIND == "exit-str":
        sys.exit("cannot start: no database")
    if KIND == "keyboard":
        raise KeyboardInterrupt
    if KIND == "missing":
        import no_such_dependency_here  # noqa: F401
    if KIND == "recursion":
        def down(depth):
            return down(depth + 1)

        down(0)
    raise ValueError(f"unknown kind {KIND}")


fail()
