"""Run-time hazards for greenlight's watch, one per argument (default: all of them):

    stall-in-c       a green thread sleeps with the original (native) time.sleep: the hub
                     stops while it waits in C with the GIL released (GL501)
    stall-in-python  a green thread spins in pure Python for half a second (GL501)
    os-system        os.system from a green thread (GL202)
    native-popen     a native subprocess.Popen from a green thread (GL202)
    native-spawn     the same with close_fds=False, which subprocess starts with
                     os.posix_spawn instead of forking (GL202)
    native-thread    an OS thread started after hand-off, outside eventlet's tpool (GL502)
    tpool            eventlet.tpool.execute: its worker threads are expected (nothing)

A ticker green thread runs alongside, so the hub has work while it is blocked. Run it with
greenlight run (patched first); under plain python nothing is watched.
"""

import sys
import time

import eventlet
import eventlet.patcher
import eventlet.tpool

native_time = eventlet.patcher.original("time")
native_subprocess = eventlet.patcher.original("subprocess")
native_threading = eventlet.patcher.original("threading")


def blocking_sleep_in_c():
    native_time.sleep(0.5)


def spinning_in_python():
    deadline = time.monotonic() + 0.5
    count = 0
    while time.monotonic() < deadline:
        count += 1
    return count


def call_os_system():
    import os

    os.system("true")


def start_native_popen():
    native_subprocess.Popen(["true"]).wait()


def start_native_spawn():
    native_subprocess.Popen(["/bin/true"], close_fds=False).wait()


def start_native_thread():
    thread = native_threading.Thread(target=lambda: None)
    thread.start()
    thread.join()


def use_tpool():
    eventlet.tpool.execute(sum, range(10))


CASES = {
    "stall-in-c": blocking_sleep_in_c,
    "stall-in-python": spinning_in_python,
    "os-system": call_os_system,
    "native-popen": start_native_popen,
    "native-spawn": start_native_spawn,
    "native-thread": start_native_thread,
    "tpool": use_tpool,
}


def main(names):
    ticks = []

    def ticker():
        while True:
            ticks.append(time.monotonic())
            eventlet.sleep(0.01)

    eventlet.spawn(ticker)
    eventlet.sleep(0.05)
    for name in names:
        eventlet.spawn(CASES[name]).wait()
        eventlet.sleep(0.3)  # the hub runs again: the stall ends
        print("done", name, flush=True)


if __name__ == "__main__":
    main(sys.argv[1:] or list(CASES))
