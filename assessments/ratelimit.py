"""A fixed-window request counter in Django's cache: enough to slow down code guessing."""

import time

from django.core.cache import cache


def client_address(request) -> str:
    """The client's address as the server sees it (configure the proxy to set REMOTE_ADDR)."""
    return request.META.get("REMOTE_ADDR", "unknown")


def over_limit(scope: str, key: str, *, per_minute: int) -> bool:
    bucket = f"ratelimit:{scope}:{key}:{int(time.time() // 60)}"
    cache.add(bucket, 0, timeout=61)
    try:
        return cache.incr(bucket) > per_minute
    except ValueError:  # the bucket expired between add and incr
        cache.set(bucket, 1, timeout=61)
        return False
