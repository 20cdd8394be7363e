"""vendorlib: a metrics client (statsd over UDP) that patches the process on import.

The authors wanted their sockets green, so importing the library patches everything.
Every service that imports it is now an eventlet service, whether it runs under eventlet
or not, and it cannot move to native threads without dropping the library.
"""
import eventlet

eventlet.monkey_patch()  # GL105: a library patching the process while being imported

from vendorlib.client import StatsClient  # noqa: E402,F401
