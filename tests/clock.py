"""Moving time forward without sleeping, for one-time links and rate limits.

The wall clock is a boundary we do not own, so it is the one thing moved: Django's token
generators read it through `PasswordResetTokenGenerator._now` (a hook Django keeps for this), and
the rate limiter through `training.ratelimit._clock`. Both see the same offset, in every thread
(the live server's too). Use the `clock` fixture: `clock.advance(days=15)`.
"""

import time
from datetime import datetime, timedelta

import pytest
from django.contrib.auth.tokens import PasswordResetTokenGenerator

from training import ratelimit


class Clock:
    def __init__(self, monkeypatch):
        self.offset = timedelta(0)
        monkeypatch.setattr(PasswordResetTokenGenerator, "_now", lambda generator: datetime.now() + self.offset)
        monkeypatch.setattr(ratelimit, "_clock", lambda: time.time() + self.offset.total_seconds())

    def advance(self, **delta) -> None:
        self.offset += timedelta(**delta)


@pytest.fixture
def clock(monkeypatch):
    return Clock(monkeypatch)


@pytest.fixture
def empty_cache():
    """Rate-limit counts from other tests must not spill over (the test cache is per process)."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
