"""pdb merely imported, then a partial patch from a function (oslo.service's test_wsgi shape).

No debugger is in use, so this is a partial patch (GL103) at the call's line, not GL402.
"""
import pdb  # noqa: F401

import eventlet


def setup():
    eventlet.monkey_patch(os=False, thread=False)


setup()
