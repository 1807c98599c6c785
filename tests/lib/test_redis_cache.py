"""The platform's Redis cache backend: Django's, with one redis-py client per connection pool."""

from django.conf import settings
from django.core.cache import caches

from sipentol.lib.redis_cache import RedisCache


def test_every_redis_cache_of_the_platform_uses_the_one_client_backend():
    assert {alias: conf["BACKEND"] for alias, conf in settings.CACHES.items()} == {
        "default": "sipentol.lib.redis_cache.RedisCache",
        "routing": "sipentol.lib.redis_cache.RedisCache",
    }
    assert all(isinstance(caches[alias], RedisCache) for alias in settings.CACHES)


def test_cache_operations_reuse_one_client_and_still_reach_redis():
    cache = caches["routing"]
    cache.set("redis-cache-test", {"a": 1}, timeout=30)

    first = cache._cache.get_client(write=True)
    assert cache.get("redis-cache-test") == {"a": 1}
    assert cache.get_many(["redis-cache-test", "absent"]) == {"redis-cache-test": {"a": 1}}
    cache.delete("redis-cache-test")

    assert cache._cache.get_client() is first
    assert cache._cache.get_client(write=True) is first
    assert cache.get("redis-cache-test") is None
    assert first.ping()
