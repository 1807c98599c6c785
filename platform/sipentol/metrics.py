"""Prometheus metrics at /metrics, readable only from inside the cluster.

Decision (docs/operations.md, "Monitoring"): /metrics is answered only to a request that did
not pass through the ingress or any proxy (no X-Forwarded-For / X-Real-IP / Forwarded header:
ingress controllers always add one), and, when METRICS_TOKEN is set, only with
`Authorization: Bearer <METRICS_TOKEN>`. Anyone else gets a plain 404. The NetworkPolicy lets
only the ingress controller and the monitoring namespace reach the web pods at all.

Gunicorn runs several worker processes: with PROMETHEUS_MULTIPROC_DIR set (the chart sets it,
see deploy/gunicorn.conf.py) every worker writes its samples there and a scrape adds them up.
Labels stay bounded: the URL *pattern* (never the path, never the kecamatan: 7,000 tenants
would make 7,000 series per pattern), the method and the status code.
"""

from __future__ import annotations

import hmac
import os
import time

from django.conf import settings
from django.http import Http404, HttpResponse
from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, CollectorRegistry, Counter, Histogram, generate_latest

from sipentol.lib.logs import route_of

METRICS_PATH = "/metrics"
_KNOWN_METHODS = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}
_PROXY_HEADERS = ("HTTP_X_FORWARDED_FOR", "HTTP_X_REAL_IP", "HTTP_FORWARDED", "HTTP_X_FORWARDED_HOST")

REQUESTS = Counter(
    "sipentol_http_requests_total",
    "HTTP requests answered, by URL pattern, method and status.",
    ["route", "method", "status"],
)
LATENCY = Histogram(
    "sipentol_http_request_duration_seconds",
    "Time to answer an HTTP request, by URL pattern and method.",
    ["route", "method"],
    buckets=(0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0),
)


def _registry():
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        return registry
    return REGISTRY


def may_read_metrics(request) -> bool:
    if any(request.META.get(header) for header in _PROXY_HEADERS):
        return False
    token = getattr(settings, "METRICS_TOKEN", None)
    if token:
        given = request.META.get("HTTP_AUTHORIZATION", "")
        return hmac.compare_digest(given.encode(), f"Bearer {token}".encode())
    return True


def metrics_view(request):
    if not may_read_metrics(request):
        raise Http404
    return HttpResponse(generate_latest(_registry()), content_type=CONTENT_TYPE_LATEST)


class MetricsMiddleware:
    """First in the chain: times every request, and answers /metrics on any Host.

    Prometheus scrapes a pod by its IP, which is not an allowed host; answering here, before
    the tenant routing and CommonMiddleware look at the Host header, keeps scraping simple.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info == METRICS_PATH:
            if not may_read_metrics(request):
                return HttpResponse("Not found", status=404, content_type="text/plain; charset=utf-8")
            return metrics_view(request)
        started = time.perf_counter()
        response = self.get_response(request)
        route = route_of(request)
        method = request.method if request.method in _KNOWN_METHODS else "other"
        REQUESTS.labels(route, method, str(response.status_code)).inc()
        LATENCY.labels(route, method).observe(time.perf_counter() - started)
        return response
