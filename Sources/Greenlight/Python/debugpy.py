# debugpy in the debug mode (Debugpy.swift): imported before the patch, configured for
# green threads; its listener started after the patch.
import os
import sys
import types


def pre_import():
    """Imports debugpy and pydevd with their private copies of the modules the patch
    makes green (pydevd's GEVENT_SUPPORT)."""
    os.environ.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")  # frozen modules: stdlib only
    given = {name: os.environ.get(name)
             for name in ("GEVENT_SUPPORT", "GEVENT_SHOW_PAUSED_GREENLETS")}
    os.environ["GEVENT_SUPPORT"] = "True"
    os.environ.setdefault("GEVENT_SHOW_PAUSED_GREENLETS", "True")
    # pydevd's greenlet integration asks gevent for its version and nothing else: a stand-in
    # for the length of the import, gone before the service could see it.
    stand_in = types.ModuleType("gevent")
    stand_in.__version__ = "0.0"
    stand_in.__file__ = "<none>"
    sys.modules.setdefault("gevent", stand_in)
    try:
        import debugpy  # noqa: F401
        import debugpy.server.api  # noqa: F401
    finally:
        if sys.modules.get("gevent") is stand_in:
            del sys.modules["gevent"]
        for name, value in given.items():
            if value is None:
                del os.environ[name]


def listen(host, port):
    """Starts debugpy's listener. From Python: debugpy looks at its caller's frame
    (sys._getframe), and a call straight from the C API has none."""
    import debugpy

    debugpy.listen((host, port))


def wait_for_client():
    """Returns once a client has attached and configured."""
    import debugpy

    debugpy.wait_for_client()
