"""Ends the process with os._exit during its import: nothing after it runs, not even atexit."""
import os
import sys

sys.stdout.write("before os._exit\n")
sys.stdout.flush()
os._exit(7)
