"""Django's Redis cache backend, keeping one redis-py client per connection pool.

Django makes a new `redis.Redis` for every cache call, and redis-py 8 fills a table of about 170
response callbacks in each one: per page (the session, the course tree, Wagtail's site paths) that
was more CPU than the GETs themselves. A client holds no connection of its own (its pool does, and
the pool starts afresh in a forked process), so one can serve every call.
"""

from django.core.cache.backends import redis


class RedisCacheClient(redis.RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class RedisCache(redis.RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = RedisCacheClient
