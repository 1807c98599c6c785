"""Django's Redis cache backend, keeping one redis-py client per connection pool.

Django's `RedisCacheClient.get_client` builds a new `redis.Redis` for every cache operation, and
since redis-py 5 each one rebuilds its table of ~165 response callbacks (redis/redis-py#3624):
about 45 µs a call, a twentieth of a cached citizen page. A client holds nothing but its pool and
that table and is safe to share between threads, so one per pool does; the pools stay Django's
(one per server, made on first use, reset by redis-py after a fork).
"""

from __future__ import annotations

from django.core.cache.backends.redis import RedisCache as _DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient


class _OneClientPerPool(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients: dict[int, object] = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))  # pools live as long as this object: ids are stable
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class RedisCache(_DjangoRedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = _OneClientPerPool
