"""The WSGI app of the web benchmark (tests/bench/test_web_bench.py); never shipped.

One gunicorn, one process, one settings module (the production settings), two Django handlers:

- `routed`: the platform's own `sipentol.wsgi.application` (TenantRoutingMiddleware picks the
  kecamatan from the Host header: cached host lookup, schema switch only when it changes);
- `fixed`: the same middleware list with TenantRoutingMiddleware replaced by `web_fixed.FixedTenant`,
  which serves Jetis whatever the host, as a one-kecamatan site without tenancy would: its
  tenant is read once per process and its search_path set once per connection. Its URLconf is
  the tenant URLconf plus a Django hello-world view (`/__bench__/hello`).

A request with the header `X-Bench-Tenancy: off` goes to `fixed`, any other to `routed`; the
dispatch is the same one dict lookup for both.
"""

from __future__ import annotations

from django.conf import settings
from django.core.handlers.wsgi import WSGIHandler

from sipentol.wsgi import application as routed
from tests.bench.web_fixed import FIXED, ROUTING


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
