"""The WSGI app of the web benchmark (tests/bench/test_web_bench.py); never shipped.

One gunicorn, one process, one settings module (the production settings), two Django handlers:

- `routed`: the platform's own `sipentol.wsgi.application` (TenantRoutingMiddleware picks the
  kecamatan from the Host header: cached host lookup, schema switch only when it changes);
- `fixed`: the same middleware list with TenantRoutingMiddleware replaced by `FixedTenant`,
  which serves Jetis whatever the host, as a one-kecamatan site without tenancy would: its
  tenant is read once per process and its search_path set once per connection. Its URLconf is
  the tenant URLconf plus a Django hello-world view (`/__bench__/hello`).

A request with the header `X-Bench-Tenancy: off` goes to `fixed`, any other to `routed`; the
dispatch is the same one dict lookup for both.
"""

from __future__ import annotations

from django.conf import settings
from django.core.handlers.wsgi import WSGIHandler
from django.db import connection
from django.http import HttpResponse
from django.urls import include, path, set_urlconf

from sipentol.wsgi import application as routed

ROUTING = "tenants.middleware.TenantRoutingMiddleware"
FIXED = "tests.bench.web_app.FixedTenant"
FIXED_SCHEMA = "jetis"


def hello(request):
    return HttpResponse("Hello, world", content_type="text/plain")


urlpatterns = [path("__bench__/hello", hello), path("", include(settings.ROOT_URLCONF))]


class FixedTenant:
    """Jetis for every request: what the routing middleware does, minus finding the tenant."""

    tenant = None

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from tenants.models import Kecamatan

        if FixedTenant.tenant is None:
            FixedTenant.tenant = Kecamatan.objects.get(schema_name=FIXED_SCHEMA)
        tenant = FixedTenant.tenant
        if connection.schema_name != tenant.schema_name:
            connection.set_tenant(tenant)
        else:
            connection.tenant = tenant
        request.tenant = tenant
        request.urlconf = __name__
        set_urlconf(__name__)
        return self.get_response(request)


class _FixedHandler(WSGIHandler):
    def load_middleware(self, is_async: bool = False) -> None:
        middleware = settings.MIDDLEWARE
        settings.MIDDLEWARE = [FIXED if name == ROUTING else name for name in middleware]
        try:
            super().load_middleware(is_async)
        finally:
            settings.MIDDLEWARE = middleware


fixed = _FixedHandler()
_HANDLERS = {"off": fixed}


def application(environ, start_response):
    return _HANDLERS.get(environ.get("HTTP_X_BENCH_TENANCY"), routed)(environ, start_response)
