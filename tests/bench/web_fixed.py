"""Without tenant routing: Jetis for every request, and a Django hello-world view (make bench only).

Used by tests/bench/web_app.py (gunicorn) and by the SQL-per-request test (Django test client).
"""

from __future__ import annotations

from django.conf import settings
from django.db import connection
from django.http import HttpResponse
from django.urls import include, path, set_urlconf

ROUTING = "tenants.middleware.TenantRoutingMiddleware"
FIXED = "tests.bench.web_fixed.FixedTenant"
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
