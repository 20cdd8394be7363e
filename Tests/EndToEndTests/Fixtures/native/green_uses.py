"""Green uses in a process nobody patched, one case per run (NativeGreenUseTests).

    greenlight check --no-patch green_uses.py CASE

Each case runs as the module loads, so `check` (which judges at the end of the import) and
`run` (which judges again at exit) both see it.
"""
import sys
import threading

import eventlet  # imported: info alone
import eventlet.semaphore

CASE = sys.argv[1]


def acquire_type():
    """What the class holds as acquire: eventlet's own is `function Semaphore.acquire`."""
    acquire = eventlet.semaphore.Semaphore.__dict__["acquire"]
    return "%s %s" % (type(acquire).__name__, acquire.__qualname__)


def take(sem):
    sem.acquire()  # the uncontended acquire


def take_capped(sem):
    with sem:  # CappedSemaphore: eventlet's own frames between this line and the lock
        pass


def wait_briefly(sem):
    sem.acquire(timeout=0.01)  # contended: the acquire starts a hub too


def nap():
    eventlet.sleep(0)  # the hub of a native thread that is not the main one


def sleep_then_take(sem):
    eventlet.sleep(0)  # the hub starts here, before the lock below
    take(sem)


if CASE == "semaphore":
    take(eventlet.semaphore.Semaphore())
elif CASE == "capped":
    take_capped(eventlet.semaphore.CappedSemaphore(1, 1))
elif CASE == "made":
    LOCKS = [eventlet.semaphore.Semaphore(), eventlet.semaphore.BoundedSemaphore()]
elif CASE == "green-module":
    # eventlet's copy of threading takes green locks of its own as it loads (futurist
    # imports it whenever eventlet is installed): not the service's use.
    from eventlet.green import threading as green_threading  # noqa: F401
elif CASE == "contended":
    wait_briefly(eventlet.semaphore.Semaphore(0))
elif CASE == "hub-first":
    sleep_then_take(eventlet.semaphore.Semaphore())
elif CASE == "thread-hub":
    worker = threading.Thread(target=nap)
    worker.start()
    worker.join()
elif CASE == "restored":
    before = acquire_type()
    take(eventlet.semaphore.Semaphore())
    print("acquire before the first use:", before, "after:", acquire_type())
elif CASE == "patched":
    eventlet.monkey_patch()
    print("acquire after the service patched:", acquire_type())
    take(eventlet.semaphore.Semaphore())
else:
    raise SystemExit("unknown case %r" % CASE)
print("done", CASE)
