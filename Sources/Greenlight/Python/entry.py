# The wrapper of an entry point (--entry, --script), run as `python -c` runs its code, and
# equivalent to pip's console-script wrapper: import the module, call the attribute,
# sys.exit with its result. Before the hand-off greenlight puts __greenlight_entry__ in
# __main__ (HandOff.prepareMain): argv0 (what the script sees), module and attribute.
import sys

_entry = globals().pop("__greenlight_entry__")
sys.argv[0] = _entry["argv0"]
# As `import package.module` does, the top-level package is bound here.
globals()[_entry["module"].partition(".")[0]] = __import__(_entry["module"])
_function = sys.modules[_entry["module"]]
for _name in _entry["attribute"].split("."):
    _function = getattr(_function, _name)
del _entry, _name
sys.exit(_function())
