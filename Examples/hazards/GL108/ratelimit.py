"""Per-tenant rate limiting for the API, shared by all request handlers."""
import threading
import time

LOCK = threading.Lock()  # guards QUOTAS; native if this module is imported before the patch
QUOTAS = {}


def quota(tenant):
    with LOCK:
        if tenant not in QUOTAS:
            time.sleep(0.05)  # stands for the quota query to the database (yields)
            QUOTAS[tenant] = 20
        return QUOTAS[tenant]


class TokenBucket:
    """Lets `rate` requests a second through; callers wait for their token."""

    def __init__(self, rate):
        self.interval = 1.0 / rate
        self.next_free = 0.0
        self._lock = threading.Lock()  # native if made before the patch

    def take(self):
        with self._lock:
            now = time.monotonic()
            if self.next_free > now:
                time.sleep(self.next_free - now)  # waits for a token, holding the lock
            self.next_free = max(now, self.next_free) + self.interval


BUCKET = TokenBucket(rate=20)  # the default bucket, made when the module is imported
