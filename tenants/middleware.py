"""Picks the kecamatan (and its schema and URLs) from the request's host name."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.db import connection
from django.http import HttpResponseBadRequest
from django.urls import set_urlconf

from sipentol.health import healthz

from .routing import route
from .views import suspended_page, unknown_host_page


def _activate(tenant) -> None:
    # django-tenants' set_tenant() forgets the search_path it set, so a persistent connection
    # would re-issue `SET search_path` on every request. Re-use it while the schema is the same.
    if connection.schema_name == tenant.schema_name:
        connection.tenant = tenant
    else:
        connection.set_tenant(tenant)


def _activate_public() -> None:
    if connection.schema_name != "public":
        connection.set_schema_to_public()


class TenantRoutingMiddleware:
    """Like django-tenants' TenantMainMiddleware, with a cached lookup and friendly pages.

    - BASE_DOMAIN (and the health endpoint on any host, for probes) -> the regency site;
    - <slug>.BASE_DOMAIN of an active or onboarding kecamatan -> that kecamatan;
    - a suspended kecamatan -> 503 page naming how to reach the office;
    - any other host -> 404 page listing the kecamatan.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # Kubernetes probes call the pod by its IP, which no ALLOWED_HOSTS entry names: answer
        # them here, before any middleware looks at the host. The health view needs no tenant.
        if request.path_info == "/healthz":
            _activate_public()
            return healthz(request)
        try:
            hostname, tenant = route(request)
        except DisallowedHost:
            return HttpResponseBadRequest("Alamat (host) tidak dikenal.", content_type="text/plain; charset=utf-8")

        if hostname in settings.PUBLIC_HOSTS:
            _activate_public()
            request.tenant = None
            request.urlconf = settings.PUBLIC_SCHEMA_URLCONF
            set_urlconf(request.urlconf)
            return self.get_response(request)

        if tenant is None:
            return unknown_host_page(request, hostname)
        if tenant.is_suspended:
            return suspended_page(request, tenant)
        request.tenant = tenant
        _activate(tenant)
        request.urlconf = settings.ROOT_URLCONF
        set_urlconf(request.urlconf)
        return self.get_response(request)
