"""The current request's context (request id, user), as logging and the handlers see it."""
import threading

_local = threading.local()  # one per thread; native if made before the patch


def set_request(request_id, user):
    _local.request_id = request_id
    _local.user = user


def current():
    return getattr(_local, "request_id", None), getattr(_local, "user", None)
