"""Imported on a thread by fork_threads.py's "importing" case: its import goes on until the
service has forked, so that thread holds this module's import lock at the fork."""

import __main__

__main__.importing.set()
__main__.release.wait()
