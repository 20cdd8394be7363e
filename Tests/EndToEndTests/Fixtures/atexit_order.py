import atexit
import sys


def goodbye(name):
    print("atexit", name)


atexit.register(goodbye, "first registered")
atexit.register(goodbye, "second registered")
atexit.register(lambda: sys.stderr.write("atexit to stderr\n"))
print("main done")
