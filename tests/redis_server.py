"""A real Redis for the tests: Debian's redis-server on a free loopback port, started once per
session by the `redis_url` fixture and stopped after (the load test's `RedisServer`)."""

import pytest

from training.loadtest.server import RedisServer


@pytest.fixture(scope="session")
def redis_url():
    try:
        server = RedisServer()
    except RuntimeError as problem:
        pytest.fail(str(problem))
    try:
        yield server.url
    finally:
        server.stop()
