"""Requests per client address in fixed time windows, counted in Django's cache.

A small counter rather than a library: one `add` and one `incr` per request on
whichever cache backend is configured (local memory per process, or Redis
shared by every server), and nothing else to configure or to check at deploy.
"""

import time

from django.core.cache import cache


def seconds_until_allowed(key: str, *, limit: int, window: int) -> int:
    """Count one request for `key`; 0 when it is allowed, otherwise the seconds
    until the current window ends (the Retry-After)."""
    now = time.time()
    window_start = int(now // window) * window
    counter = f"ratelimit:{key}:{window_start}"
    cache.add(counter, 0, timeout=window + 1)
    try:
        count = cache.incr(counter)
    except ValueError:
        # The counter expired between add and incr: this is the first request again.
        cache.set(counter, 1, timeout=window + 1)
        count = 1
    if count <= limit:
        return 0
    return max(1, int(window_start + window - now + 0.999))
