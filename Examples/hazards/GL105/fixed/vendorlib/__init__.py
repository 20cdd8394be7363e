"""vendorlib: a metrics client (statsd over UDP) that leaves patching to the application.

It uses the socket module as it finds it: green when the service patched (or greenlight
did), native when it did not, so the same library works in both kinds of service.
"""
from vendorlib.client import StatsClient  # noqa: F401
