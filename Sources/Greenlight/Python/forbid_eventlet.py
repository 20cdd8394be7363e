# --forbid-eventlet (EventletBan.swift): a meta path finder, first in sys.meta_path, that
# refuses every import of eventlet and its submodules; each refusal is kept in `refused`
# with its importer's file and line. Python because a finder must be a Python object. The
# importer is the first frame above importlib's own.
import sys

refused = []


class GreenlightForbidsEventlet:
    @staticmethod
    def find_spec(name, path=None, target=None):
        if name != 'eventlet' and not name.startswith('eventlet.'):
            return None
        frame = sys._getframe(1)
        while frame is not None and frame.f_code.co_filename.startswith('<frozen '):
            frame = frame.f_back
        error = ImportError(
            f'greenlight forbade importing {name} (--forbid-eventlet): this process'
            ' runs without eventlet', name=name)
        where = (frame.f_code.co_filename, frame.f_lineno) if frame else ('', 0)
        refused.append((name, *where, error))
        raise error


sys.meta_path.insert(0, GreenlightForbidsEventlet)
