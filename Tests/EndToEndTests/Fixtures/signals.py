"""Waits for a signal. `term`: a SIGTERM handler exits 7. `int`: no handler, so SIGINT
raises KeyboardInterrupt. Prints "ready" once the handlers are in place."""
import signal
import sys
import time

mode = sys.argv[1]
if mode == "term":
    def on_term(number, frame):
        print("handler got signal", number, flush=True)
        sys.exit(7)

    signal.signal(signal.SIGTERM, on_term)
print("ready", flush=True)
for _ in range(600):
    time.sleep(0.05)
print("no signal came")
