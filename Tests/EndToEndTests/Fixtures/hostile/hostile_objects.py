"""Module globals that fight back when looked at: attribute access that raises, recurses,
blocks or returns itself forever (lazy proxies such as six.moves or werkzeug's LocalProxy),
and objects whose __class__, __eq__, __hash__ or __repr__ raise. A scanner that runs any
of this code either hangs, raises, or changes what the service sees."""
import atexit
import threading
import time

CALLS = []


class Raising:
    def __getattribute__(self, name):
        CALLS.append(name)
        raise RuntimeError(f"looked at {name}")


class Recursing:
    def __getattr__(self, name):
        return getattr(self, "_" + name)


class Blocking:
    def __getattr__(self, name):
        CALLS.append(name)
        time.sleep(3600)


class Proxy:
    """Every attribute is the proxy itself, as far as anyone cares to look."""

    def __getattr__(self, name):
        return self

    def __call__(self, *args, **kwargs):
        return self


class BadClass:
    @property
    def __class__(self):
        CALLS.append("__class__")
        raise RuntimeError("no class")


class BadEquality:
    def __eq__(self, other):
        CALLS.append("__eq__")
        raise RuntimeError("no equality")

    def __hash__(self):
        CALLS.append("__hash__")
        raise RuntimeError("no hash")

    def __repr__(self):
        CALLS.append("__repr__")
        raise RuntimeError("no repr")


class BadKey:
    """Hashable, but neither comparable nor printable."""

    def __hash__(self):
        return 1

    def __eq__(self, other):
        CALLS.append("key __eq__")
        raise RuntimeError("no key equality")

    def __repr__(self):
        CALLS.append("key __repr__")
        raise RuntimeError("no key repr")


class Meta(type):
    def __getattribute__(cls, name):
        CALLS.append("meta " + name)
        raise RuntimeError(f"metaclass looked at {name}")


class Guarded(metaclass=Meta):
    lock = threading.Lock()


def __getattr__(name):  # a module-level __getattr__ (PEP 562) that returns a proxy
    return Proxy()


RAISING = Raising()
RECURSING = Recursing()
BLOCKING = Blocking()
PROXY = Proxy()
BAD_CLASS = BadClass()
KEYED = {BadKey(): [BadEquality(), Proxy(), threading.Lock()], "nested": {"proxy": PROXY}}
HOLDER = type("Holder", (), {})()
HOLDER.__dict__["proxy"] = PROXY
HOLDER.__dict__["bad"] = BadEquality()

print("hostile objects made; calls so far:", CALLS)
atexit.register(lambda: print("calls at exit:", CALLS))
