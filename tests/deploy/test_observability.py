"""Metrics, request ids, JSON logs and security headers, as a scraper and a browser see them."""

from __future__ import annotations

import json
import logging
import re
import sys

from django.test import Client, override_settings

from sipentol.lib.logs import JsonFormatter, request_id_var


def test_it_answers_metrics_to_an_in_cluster_scrape_on_the_pod_ip():
    # Prometheus calls the pod by IP, which is not an allowed host.
    client = Client(HTTP_HOST="10.42.0.17:8000")
    client.get("/api/docs/", HTTP_HOST="localhost")

    response = client.get("/metrics")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    body = response.content.decode()
    assert re.search(r'sipentol_http_requests_total\{method="GET",route="api/docs/",status="200"\} \d', body)
    assert "sipentol_http_request_duration_seconds_bucket" in body


def test_it_hides_metrics_from_a_request_that_came_through_the_ingress():
    response = Client(HTTP_HOST="localhost").get("/metrics", HTTP_X_FORWARDED_FOR="203.0.113.9")

    assert response.status_code == 404
    assert b"sipentol_http" not in response.content


@override_settings(METRICS_TOKEN="scrape-token-1")
def test_it_wants_the_bearer_token_when_one_is_configured():
    client = Client(HTTP_HOST="10.42.0.17:8000")

    assert client.get("/metrics").status_code == 404
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer wrong").status_code == 404
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer scrape-token-1").status_code == 200


def test_it_sends_a_csp_without_inline_scripts_and_the_other_security_headers():
    response = Client(HTTP_HOST="localhost").get("/api/docs/")

    assert response.status_code == 200
    csp = dict(part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";"))
    assert csp["script-src"] == "'self'"
    assert csp["object-src"] == "'none'"
    assert csp["frame-ancestors"] == "'none'"
    assert "geolocation=()" in response["Permissions-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    # The API docs page loads its start-up script from a URL, so the CSP can forbid inline ones.
    html = response.content.decode()
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)
    script = Client(HTTP_HOST="localhost").get("/api/docs/?script=")
    assert script["Content-Type"].startswith("application/javascript")
    assert "SwaggerUIBundle" in script.content.decode()


def test_it_tags_each_response_with_a_request_id_and_keeps_a_sane_one_from_the_ingress():
    client = Client(HTTP_HOST="localhost")

    given = client.get("/api/docs/", HTTP_X_REQUEST_ID="c0ffee00-1234-abcd")
    forged = client.get("/api/docs/", HTTP_X_REQUEST_ID="<script>alert(1)</script>")

    assert given["X-Request-ID"] == "c0ffee00-1234-abcd"
    assert re.fullmatch(r"[0-9a-f]{32}", forged["X-Request-ID"])


def test_it_writes_each_log_record_as_one_json_line_with_the_request_id():
    formatter = JsonFormatter()
    record = logging.LogRecord("sipentol.test", logging.WARNING, __file__, 1, "Surat %s gagal", ("12",), None)
    record.application = "JTS-2025-0001"
    try:
        raise ValueError("tanda tangan ditolak")
    except ValueError:
        error = logging.LogRecord("sipentol.test", logging.ERROR, __file__, 2, "boom", None, sys.exc_info())

    token = request_id_var.set("req-123456789")
    try:
        line = formatter.format(record)
        error_line = formatter.format(error)
    finally:
        request_id_var.reset(token)

    payload = json.loads(line)
    assert "\n" not in line
    assert payload["message"] == "Surat 12 gagal"
    assert payload["level"] == "WARNING"
    assert payload["request_id"] == "req-123456789"
    assert payload["application"] == "JTS-2025-0001"
    assert "\n" not in error_line
    assert "tanda tangan ditolak" in json.loads(error_line)["exc_info"]
