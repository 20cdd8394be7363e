import os
import sys

print("buffered on a pipe, so lost by os._exit")
sys.stderr.write("stderr is line buffered\n")
os._exit(5)
