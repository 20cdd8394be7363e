"""Deletes and replaces entries of sys.modules during its import: threading is dropped,
eventlet and socket become objects that are not modules."""
import sys
import types


class Junk:
    def __getattr__(self, name):
        raise RuntimeError(f"no attribute {name} here")


sys.modules.pop("threading", None)
sys.modules["eventlet"] = Junk()
sys.modules["socket"] = types.SimpleNamespace(socket=None)
sys.modules["greenlight_phantom"] = None
print("sys.modules tampered")
