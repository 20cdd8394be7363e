"""Prints what is patched, judged by object identity, and whether eventlet is loaded."""
import sys

if "eventlet" not in sys.modules:
    print("eventlet loaded: False")
    sys.exit(0)

import eventlet.green.socket
import eventlet.green.subprocess
import eventlet.green.thread
import eventlet.green.threading
import eventlet.green.time
import socket
import subprocess
import threading
import time

green = vars(eventlet.green.subprocess)
print("eventlet loaded: True")
print("socket green:", socket.socket is eventlet.green.socket.socket)
print("time.sleep green:", time.sleep is eventlet.green.time.sleep)
print("threading.Lock green:", threading.Lock is eventlet.green.thread.allocate_lock)
for name in ["Popen", "call", "check_call", "check_output", "run", "getoutput",
             "getstatusoutput"]:
    print("subprocess.%s green:" % name, getattr(subprocess, name) is green[name])
try:
    subprocess.check_output(["false"])
except subprocess.CalledProcessError as error:
    print("CalledProcessError caught by its public class, status", error.returncode)
