"""Runs the maintenance commands of the service."""
from subprocess import PIPE, Popen  # GL201: the native Popen, bound before the patch


def run_job(argv):
    child = Popen(argv, stdout=PIPE)
    out, _ = child.communicate()
    return child.returncode, out
