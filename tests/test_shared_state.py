"""With REDIS_URL, rate limits count across server processes (a real redis-server, real processes);
behind a trusted proxy they count the client, not the proxy."""

import json
import os
import secrets
import subprocess
import sys

import pytest
import redis
from django.conf import settings
from django.test import RequestFactory, override_settings

from training.ratelimit import client_address

# Each process counts `hits` on one key with the settings a server would have (REDIS_URL set).
HITS = """
import django, json, sys
django.setup()
from django.conf import settings
from training.ratelimit import rate_limit_hit
key, limit, hits = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
print(json.dumps([settings.CACHES["default"]["BACKEND"], [rate_limit_hit(key, limit=limit, window=10**6) for _ in range(hits)]]))
"""


def test_two_processes_count_one_limit_through_redis(redis_url):
    key = f"verify:198.51.100.{secrets.randbelow(250)}:{secrets.token_hex(4)}"
    environ = {**os.environ, "DJANGO_SETTINGS_MODULE": "training.settings.test", "REDIS_URL": redis_url}
    processes = [
        subprocess.Popen([sys.executable, "-c", HITS, key, "6", "5"], env=environ, cwd=settings.BASE_DIR,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for _ in range(2)
    ]
    results = []
    for process in processes:
        out, err = process.communicate(timeout=120)
        assert process.returncode == 0, err
        results.append(json.loads(out))
    assert {backend for backend, _ in results} == {"training.redis_cache.RedisCache"}
    refused = [hit for _, hits in results for hit in hits]
    # 10 hits on a limit of 6, from two processes at once: exactly the last 4 are over it.
    assert refused.count(True) == 4


def redis_caches(url):
    return {"default": {"BACKEND": "training.redis_cache.RedisCache", "LOCATION": url, "KEY_PREFIX": "academy"}}


@pytest.mark.django_db
def test_verify_page_limit_is_seen_by_another_connection(client, redis_url):
    """The page counts in Redis: a second, separate connection (another server) finds the count."""
    address = f"192.0.2.{secrets.randbelow(250)}"
    with override_settings(CACHES=redis_caches(redis_url), VERIFY_RATE_PER_MINUTE=3):
        statuses = [client.get("/verify/no-such-code/", REMOTE_ADDR=address).status_code for _ in range(4)]
    other_server = redis.Redis.from_url(redis_url)
    counted = [int(other_server.get(key)) for key in other_server.keys(f"academy:1:ratelimit:verify:{address}:*")]
    assert statuses == [404, 404, 404, 429]
    assert counted == [4]


def test_client_address_behind_a_trusted_proxy():
    factory = RequestFactory()
    via_proxy = factory.get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_REAL_IP="203.0.113.7")
    direct = factory.get("/", REMOTE_ADDR="198.51.100.2", HTTP_X_REAL_IP="203.0.113.7")
    with override_settings(TRUSTED_PROXIES=["127.0.0.1", "::1"]):
        assert client_address(via_proxy) == "203.0.113.7"
        assert client_address(direct) == "198.51.100.2"  # a forged header from a client is ignored
        assert client_address(factory.get("/", REMOTE_ADDR="127.0.0.1")) == "127.0.0.1"
    with override_settings(TRUSTED_PROXIES=[]):
        assert client_address(via_proxy) == "127.0.0.1"


def test_the_redis_cache_keeps_one_client_and_it_still_works_in_a_forked_process(redis_url):
    from django.core.cache.backends.redis import RedisCacheClient as DjangosClient

    from training.redis_cache import RedisCache

    cache = RedisCache(redis_url, {"KEY_PREFIX": "academy-test"})
    cache.set("one-client", "first", 30)
    assert cache._cache.get_client() is cache._cache.get_client(write=True)  # Django's makes one per call
    assert DjangosClient([redis_url]).get_client() is not DjangosClient([redis_url]).get_client()
    child = os.fork()
    if child == 0:  # a gunicorn worker forked after the master used the cache (preload): its own connections
        os._exit(0 if cache.get("one-client") == "first" and cache.set("from-child", "yes", 30) is None else 1)
    _, status = os.waitpid(child, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    assert cache.get("from-child") == "yes"
