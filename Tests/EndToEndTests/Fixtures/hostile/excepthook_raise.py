"""Installs its own sys.excepthook (as oslo.log's setup does), then raises at import:
python hands the uncaught exception to the hook, not to the built-in traceback."""
import sys


def hook(kind, value, traceback):
    print(f"the service's excepthook: {kind.__name__}: {value}", file=sys.stderr)


sys.excepthook = hook
raise RuntimeError("the configuration could not be read")
