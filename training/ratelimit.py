"""Fixed-window counters in Django's cache: the one rate limiter (certificate verification,
password reset and invitation emails).

Counts live in the cache, not in process memory, so once the cache is shared (Redis) every server
process sees the same counts. A window is a whole multiple of `window` seconds since the epoch, so
a burst straddling two windows can reach twice the limit: enough to slow down guessing and to stop
a mailbox being flooded, which is all it is for.
"""

import time

from django.conf import settings
from django.core.cache import cache

_clock = time.time  # the wall clock; tests move it (tests/clock.py) instead of sleeping


def client_address(request) -> str:
    """The client's address: REMOTE_ADDR, or behind a proxy listed in TRUSTED_PROXIES the address
    that proxy puts in X-Real-IP (nginx: `proxy_set_header X-Real-IP $remote_addr;`, which
    replaces anything the client sent). A header from anyone else is ignored: it could be forged."""
    address = request.META.get("REMOTE_ADDR", "unknown")
    if address in settings.TRUSTED_PROXIES:
        return request.META.get("HTTP_X_REAL_IP", "").strip() or address
    return address


def rate_limit_hit(key: str, *, limit: int, window: int) -> bool:
    """Count one hit on `key` and say whether it is over `limit` hits in this `window` (seconds).

    Every call counts, refused ones too, so hammering never opens the gate early. Keys name the
    scope first ("verify:<address>", "reset-email:<address>").
    """
    bucket = f"ratelimit:{key}:{window}:{int(_clock() // window)}"
    cache.add(bucket, 0, timeout=window + 1)
    try:
        return cache.incr(bucket) > limit
    except ValueError:  # the bucket expired between add and incr
        cache.set(bucket, 1, timeout=window + 1)
        return 1 > limit
