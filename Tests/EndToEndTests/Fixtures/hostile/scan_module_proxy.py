"""An object in sys.modules that is not a module (a lazy-module stand-in), whose class's
__getattribute__ says on stderr which attribute was asked for (check with --patch target).
eventlet's patch asks for __dict__ (vars()) and __class__ (isinstance) of it, as it does
under plain python; nothing else may: greenlight's inspection must not run it.
"""
import os
import sys
import threading


class LazyModule:
    def __getattribute__(self, name):
        if name not in ("__dict__", "__class__"):
            os.write(2, f"LazyModule.__getattribute__({name!r}) ran\n".encode())
        return object.__getattribute__(self, name)


sys.modules["scan_lazy_module"] = LazyModule()
LOCK = threading.Lock()

import eventlet  # noqa: E402

eventlet.monkey_patch()
print("patched", flush=True)
