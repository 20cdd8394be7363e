"""shopfixed: shop's fixed twin; this parent package runs nothing of note before the patch.

A docstring and a version are all it has. Everything that shop/__init__.py did at import
moved to shopfixed/cmd/api.py, after the patch in shopfixed/cmd/__init__.py. (A version
read with `importlib.metadata` is no GL104 either, but that module loads socket, select,
selectors and threading through email and zipfile: GL101 reports those. `pbr.version`
loads none of them.)

    cd Examples/hazards/GL104 && greenlight check --patch target --entry shopfixed.cmd.api:main
"""
__version__ = "1.0.0"
