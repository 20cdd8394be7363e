"""GL402's look-alike: debuggers imported, none in use, then monkey_patch(thread=False).

pdb is imported by many test tools and debugpy by IDE helpers; neither sets a trace function
until it debugs. This is a partial patch (GL103), reported at the call's line, not GL402.
"""
import pdb  # noqa: F401

import debugpy  # noqa: F401

import eventlet


def patch():
    eventlet.monkey_patch(thread=False)  # GL103: a partial patch, no debugger in use


patch()

if __name__ == "__main__":
    print("patched without threading")
