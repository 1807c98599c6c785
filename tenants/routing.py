"""Host name -> kecamatan, cached so that a warm request makes no Domain query.

The cache is Redis (shared by every web process), so an invalidation reaches all of them at
once. In front of it each process keeps its answers TENANT_ROUTING_LOCAL_SECONDS in memory (a
Redis round trip costs a cached citizen page a third of its time): the process that changes a
kecamatan or a host forgets its own copy at once, the others within those seconds. When Redis
is down we fall back to the database rather than refuse the request.

The local copy is keyed by the Host header as sent, so a warm request neither checks the host
against ALLOWED_HOSTS again (a header that passed once passes as long as the setting stays; it is
forgotten when the setting changes) nor copies the kecamatan: the one object, its `domain_url` set
to the host, is shared by this process's requests for that host, read-only (services that change
a kecamatan read it again from the database, and the save forgets the route).
"""

from __future__ import annotations

import copy
import logging
import time

from django.conf import settings
from django.core.cache import caches
from django.core.signals import setting_changed
from django.dispatch import receiver
from django_tenants.utils import remove_www

from .models import Domain, Kecamatan

log = logging.getLogger(__name__)
_MISSING = object()
UNKNOWN_HOST_SECONDS = 60
# Host header -> (monotonic deadline, host name, kecamatan or None); bounded, as any host may be asked for.
_local: dict[str, tuple[float, str, Kecamatan | None]] = {}
LOCAL_HOSTS_MAX = 1000


def _cache():
    return caches["routing"]


def _key(hostname: str) -> str:
    return f"host:{hostname}"


def route(request) -> tuple[str, Kecamatan | None]:
    """The request's host name and the kecamatan serving it (None for the regency's own hosts and
    for hosts no kecamatan has). Raises DisallowedHost, as `request.get_host()`, for a host outside
    ALLOWED_HOSTS. The kecamatan is shared by this process's requests: read it, do not change it."""
    header = request._get_raw_host()  # Django's: the Host (or trusted X-Forwarded-Host) header, unchecked
    now = time.monotonic()
    local = _local.get(header)
    if local is not None and local[0] > now:
        return local[1], local[2]
    hostname = remove_www(request.get_host().split(":")[0]).lower()  # checks ALLOWED_HOSTS
    # No switch to public first: the Domain table is found through any tenant's search_path
    # ("<schema>", "public"), and a warm request should not SET search_path at all.
    tenant = None if hostname in settings.PUBLIC_HOSTS else _shared_lookup(hostname)
    if tenant is not None:
        tenant = copy.copy(tenant)  # the shared cache's object may be another host's (www., port)
        tenant.domain_url = hostname
    if len(_local) >= LOCAL_HOSTS_MAX:
        _local.clear()
    _local[header] = (now + settings.TENANT_ROUTING_LOCAL_SECONDS, hostname, tenant)
    return hostname, tenant


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
    for header, (_deadline, name, _cached) in list(_local.items()):
        if name == hostname:
            _local.pop(header, None)
    try:
        _cache().delete(_key(hostname))
    except Exception:  # noqa: BLE001
        log.error("routing cache unavailable: cached route of %s may be stale", hostname)


def forget_tenant(tenant: Kecamatan) -> None:
    hosts = list(Domain.objects.filter(tenant_id=tenant.pk).values_list("domain", flat=True))
    for header, (_deadline, hostname, cached) in list(_local.items()):
        if hostname in hosts or (cached is not None and cached.pk == tenant.pk):
            _local.pop(header, None)
    try:
        _cache().delete_many([_key(h) for h in hosts])
    except Exception:  # noqa: BLE001
        log.error("routing cache unavailable: cached routes of %s may be stale", tenant.schema_name)


@receiver(setting_changed)
def _forget_on_setting_change(*, setting, **kwargs) -> None:
    """A host once accepted must be checked again when ALLOWED_HOSTS or the regency's hosts change."""
    if setting in {"ALLOWED_HOSTS", "PUBLIC_HOSTS", "USE_X_FORWARDED_HOST", "BASE_DOMAIN"}:
        _local.clear()
