"""A class whose metaclass __getattribute__ raises and says so on stderr (check with --patch
target). Its class attribute is a native lock made before the patch: GL108, found without
calling the metaclass.
"""
import os
import threading


class Meta(type):
    def __getattribute__(cls, name):
        if name == "__module__":
            os.write(2, b"Meta.__getattribute__ ran\n")
            raise RuntimeError("Meta.__getattribute__ ran")
        return super().__getattribute__(name)


class Guarded(metaclass=Meta):
    _guard = threading.Lock()


import eventlet  # noqa: E402

eventlet.monkey_patch()
print("patched", flush=True)
