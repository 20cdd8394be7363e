"""Closes file descriptor 2 during its import, then writes to stdout."""
import os
import sys

sys.stderr.write("to stderr, before it closes\n")
sys.stderr.flush()
os.close(2)
print("stderr is closed", flush=True)
