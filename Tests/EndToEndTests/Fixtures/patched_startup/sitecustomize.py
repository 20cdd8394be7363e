"""The reference for greenlight's `--patch first`: python itself, with eventlet imported
and every module patched at interpreter start-up, before the script (put this folder on
PYTHONPATH). eventlet's import-time deprecation warning is silenced, as greenlight does."""
import warnings

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    import eventlet

eventlet.monkey_patch()
