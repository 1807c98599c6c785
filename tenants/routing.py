"""Host name -> kecamatan, cached so that a warm request makes no Domain query.

The cache is Redis (shared by every web process), so an invalidation reaches all of them at
once. In front of it each process keeps its answers TENANT_ROUTING_LOCAL_SECONDS in memory (a
Redis round trip costs a cached citizen page a third of its time): the process that changes a
kecamatan or a host forgets its own copy at once, the others within those seconds. When Redis
is down we fall back to the database rather than refuse the request.
"""

from __future__ import annotations

import copy
import logging
import time

from django.conf import settings
from django.core.cache import caches

from .models import Domain, Kecamatan

log = logging.getLogger(__name__)
_MISSING = object()
UNKNOWN_HOST_SECONDS = 60
# host -> (monotonic deadline, kecamatan or None); bounded, as any host name may be asked for.
_local: dict[str, tuple[float, Kecamatan | None]] = {}
LOCAL_HOSTS_MAX = 1000


def _cache():
    return caches["routing"]


def _key(hostname: str) -> str:
    return f"host:{hostname}"


def tenant_for_host(hostname: str) -> Kecamatan | None:
    """The kecamatan serving `hostname`, or None when no kecamatan has that host. A copy: the
    caller may set attributes on it (the middleware sets `domain_url`)."""
    now = time.monotonic()
    local = _local.get(hostname)
    if local is not None and local[0] > now:
        return copy.copy(local[1])
    tenant = _shared_lookup(hostname)
    if len(_local) >= LOCAL_HOSTS_MAX:
        _local.clear()
    _local[hostname] = (now + settings.TENANT_ROUTING_LOCAL_SECONDS, tenant)
    return copy.copy(tenant)


def _shared_lookup(hostname: str) -> Kecamatan | None:
    key = _key(hostname)
    try:
        cached = _cache().get(key, _MISSING)
    except Exception:  # noqa: BLE001 - a cache outage must not take the site down
        log.warning("routing cache unavailable; looking up %s in the database", hostname)
        cached = _MISSING
    if cached is not _MISSING:
        return cached
    domain = Domain.objects.select_related("tenant").filter(domain=hostname).first()
    tenant = domain.tenant if domain else None
    timeout = settings.TENANT_ROUTING_CACHE_SECONDS if tenant else UNKNOWN_HOST_SECONDS
    try:
        _cache().set(key, tenant, timeout=timeout)
    except Exception:  # noqa: BLE001
        log.warning("routing cache unavailable; %s not cached", hostname)
    return tenant


def forget_local() -> None:
    """This process's copies of every route (tests: rows rolled back must not be served)."""
    _local.clear()


def forget_host(hostname: str) -> None:
    _local.pop(hostname, None)
    try:
        _cache().delete(_key(hostname))
    except Exception:  # noqa: BLE001
        log.error("routing cache unavailable: cached route of %s may be stale", hostname)


def forget_tenant(tenant: Kecamatan) -> None:
    hosts = list(Domain.objects.filter(tenant_id=tenant.pk).values_list("domain", flat=True))
    for hostname, (_deadline, cached) in list(_local.items()):
        if hostname in hosts or (cached is not None and cached.pk == tenant.pk):
            _local.pop(hostname, None)
    try:
        _cache().delete_many([_key(h) for h in hosts])
    except Exception:  # noqa: BLE001
        log.error("routing cache unavailable: cached routes of %s may be stale", tenant.schema_name)
