"""A service that needs eventlet: under --forbid-eventlet its import is refused, uncaught."""
import os

import eventlet  # the refused import: GL601 at this line

print("unreached", os.getpid(), eventlet)
