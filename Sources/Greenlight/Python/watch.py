# The watch on eventlet.patcher.monkey_patch (gl_observe.c, gl_watch_install): a meta path
# finder that hands eventlet.patcher a loader which, after executing the module, lets
# greenlight wrap monkey_patch before anyone can call it. Python because a finder and a
# loader must be Python classes; it imports nothing.
import sys

after_patcher = None  # greenlight's C callback, set in this namespace once this has run


class Loader:
    def __init__(self, loader):
        self._loader = loader

    def __getattr__(self, name):
        return getattr(self._loader, name)

    def create_module(self, spec):
        return self._loader.create_module(spec)

    def exec_module(self, module):
        self._loader.exec_module(module)
        after_patcher(module)


class GreenlightPatchWatch:
    @staticmethod
    def find_spec(name, path=None, target=None):
        if name != "eventlet.patcher":
            return None
        for finder in sys.meta_path:
            find = getattr(finder, "find_spec", None)
            if finder is GreenlightPatchWatch or find is None:
                continue
            spec = find(name, path, target)
            if spec is not None and spec.loader is not None:
                spec.loader = Loader(spec.loader)
                return spec
        return None


sys.meta_path.insert(0, GreenlightPatchWatch)
