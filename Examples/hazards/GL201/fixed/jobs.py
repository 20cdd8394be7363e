"""Runs the maintenance commands of the service."""
import subprocess  # the module, not its names: Popen is looked up at call time


def run_job(argv):
    child = subprocess.Popen(argv, stdout=subprocess.PIPE)
    out, _ = child.communicate()
    return child.returncode, out
