"""Run-time findings from one line, many times: the same cause is one finding.

    threads  500 OS threads started after hand-off, outside tpool, from one line (GL502)
    system   50 os.system calls on the hub's thread from one line (GL202)
"""

import os
import sys

import eventlet.patcher

native_threading = eventlet.patcher.original("threading")


def start_and_join():
    thread = native_threading.Thread(target=lambda: None)
    thread.start()
    thread.join()


def call_system():
    os.system("true")


def main(case):
    for _ in range(500 if case == "threads" else 50):
        start_and_join() if case == "threads" else call_system()
    print("done", case, flush=True)


if __name__ == "__main__":
    main(sys.argv[1])
