"""Closes file descriptor 1 during its import, then writes to stderr."""
import os
import sys

print("to stdout, before it closes", flush=True)
os.close(1)
sys.stderr.write("stdout is closed\n")
