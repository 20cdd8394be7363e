"""The service's request filters; re-read at run time when an operator edits them."""
BLOCKED_PATHS = {"/admin"}


def allowed(path):
    return path not in BLOCKED_PATHS
