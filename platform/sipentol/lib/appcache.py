"""Cache entries that belong to one application: the one naming scheme, so that they can be found
and removed with it (UU 27/2022: data kept no longer than its purpose).

Every cache key about an application is `app:<public_id>:<name>`, written through `key()`; the
tenant's schema and the cache version are put in front by the cache's KEY_FUNCTION
(`django_tenants.cache.make_key`). `forget()` deletes every such entry of one application in the
current schema, whatever its name; `keys()` lists them (tests, the purge's count).
"""

from __future__ import annotations

from django.core.cache import cache


def key(public_id, name: str) -> str:
    return f"app:{public_id}:{name}"


def _client():
    # Django's RedisCache: the redis-py client behind it (SCAN is not part of the cache API).
    return cache._cache.get_client(write=True)


def _pattern(public_id) -> str:
    return cache.make_key(key(public_id, "*"))


def keys(public_id) -> list[str]:
    """The stored keys (full Redis names) of this application's entries in the current schema."""
    return [k.decode() if isinstance(k, bytes) else k for k in _client().scan_iter(match=_pattern(public_id))]


def forget(public_id) -> int:
    """Delete every cache entry of this application in the current schema; how many there were."""
    found = keys(public_id)
    if found:
        _client().delete(*found)
    return len(found)


def hit(public_id, name: str, *, limit: int, seconds: int) -> bool:
    """Count one attempt in a window of `seconds`; True while the count is within `limit`."""
    counter = key(public_id, name)
    cache.add(counter, 0, seconds)
    try:
        count = cache.incr(counter)
    except ValueError:  # expired between add and incr
        cache.set(counter, 1, seconds)
        count = 1
    return count <= limit
