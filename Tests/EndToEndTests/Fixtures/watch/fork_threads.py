"""Forks while other OS threads are alive (GL503), in a patched process or not.

    threads          two OS threads (one named "worker") wait while the service forks
    lock             a daemon thread holds a threading.Lock while the service forks
    alone            a fork with no other OS thread (a green thread waits in a patched one)
    multiprocessing  a Process of the fork start method while an OS thread waits
    importing        a thread is inside `import fork_slow_import` (holding that module's
                     import lock) while the service forks
    forkpty          os.forkpty while an OS thread waits
    preexec          a Popen with a preexec_fn while an OS thread waits: subprocess's own
                     fork, not the service's

In a patched process the threads are eventlet's original (native) ones. A forked child
exits at once with os._exit.
"""

import multiprocessing
import os
import subprocess
import sys
import threading

if "eventlet" in sys.modules:
    import eventlet
    import eventlet.patcher

    native = eventlet.patcher.original("threading")
else:
    eventlet = None
    native = threading

release = native.Event()
importing = native.Event()  # set by fork_slow_import while its import runs


def start(name=None, target=release.wait, daemon=False):
    thread = native.Thread(target=target, name=name, daemon=daemon)
    thread.start()
    return thread


def fork_and_wait():
    child = os.fork()
    if child == 0:
        os._exit(0)
    os.waitpid(child, 0)


def hold_lock(lock, held):
    with lock:
        held.set()
        release.wait()


def main(case):
    threads = []
    if case == "threads":
        threads = [start(name) for name in ("worker", None)]
        fork_and_wait()
    elif case == "lock":
        lock, held = native.Lock(), native.Event()
        threads = [start("holder", lambda: hold_lock(lock, held), daemon=True)]
        held.wait()
        fork_and_wait()
    elif case == "alone":
        green = eventlet.spawn(eventlet.sleep, 0.5) if eventlet else None
        fork_and_wait()
        if green is not None:
            green.kill()
    elif case == "importing":
        threads = [start("importer", lambda: __import__("fork_slow_import"))]
        importing.wait()
        fork_and_wait()
    elif case == "forkpty":
        threads = [start("waiter")]
        child, _ = os.forkpty()
        if child == 0:
            os._exit(0)
        os.waitpid(child, 0)
    elif case == "preexec":
        threads = [start("waiter")]
        subprocess.run(["true"], preexec_fn=lambda: None, check=True)
    elif case == "multiprocessing":
        threads = [start("waiter")]
        process = multiprocessing.get_context("fork").Process(target=int)
        process.start()
        process.join()
    release.set()
    for thread in threads:
        thread.join()
    print("done", case, flush=True)


if __name__ == "__main__":
    main(sys.argv[1])
