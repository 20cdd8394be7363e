import ctypes
import os
import signal
import sys
import time

print("crashing with", sys.argv[1], flush=True)
if sys.argv[1] == "segfault":
    ctypes.string_at(0)
elif sys.argv[1] == "quit":
    os.kill(os.getpid(), signal.SIGQUIT)
    time.sleep(5)
print("survived")
