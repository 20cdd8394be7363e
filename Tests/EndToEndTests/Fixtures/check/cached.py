"""A class with three cached properties, made before the service patches itself and held
where eventlet's own lock upgrade does not look (a tuple): each functools.cached_property
owns a native RLock, as numpy.finfo's seven do. One cause, so one GL108; another class's
lock is a cause of its own."""
import functools
import threading


def make_limits():
    class Limits:
        @functools.cached_property
        def low(self):
            return 1

        @functools.cached_property
        def high(self):
            return 2

        @functools.cached_property
        def step(self):
            return 3

    return Limits


REGISTRY = (make_limits(),)


class Pool:
    guard = threading.Lock()


import eventlet  # noqa: E402

eventlet.monkey_patch()
