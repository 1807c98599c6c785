"""JSON structured logs: one object per line, carrying the request id and the schema.

Log collectors (Loki, Elasticsearch, Cloud Logging) parse a JSON line into fields without a
per-format regex; the request id ties a citizen's complaint ("it failed at 10:02") to the
exact lines of that request across the web pod, the ingress (X-Request-ID) and Sentry.
"""

from __future__ import annotations

import contextvars
import json
import logging
import re
import time
import uuid
from datetime import UTC, datetime

request_id_var: contextvars.ContextVar[str | None] = contextvars.ContextVar("request_id", default=None)

# Attributes every LogRecord has; anything else was passed with `extra=` and is logged as a field.
_STANDARD_ATTRS = frozenset(logging.LogRecord("x", logging.INFO, "x", 0, "x", None, None).__dict__) | {
    "message",
    "asctime",
}
# An id from the ingress is kept only when it looks like one (it ends up in our logs verbatim).
_SAFE_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")

request_logger = logging.getLogger("sipentol.request")

# Answered by a middleware before URL resolution (tenants.middleware): no resolver_match.
_UNROUTED_PATHS = {"/healthz": "healthz"}


def route_of(request) -> str:
    """The URL pattern that answered (`lacak/<str:code>/`), never the path: paths can hold secrets."""
    match = getattr(request, "resolver_match", None)
    if match:
        return match.route or match.view_name or ""
    return _UNROUTED_PATHS.get(request.path_info, "")


def _current_schema() -> str | None:
    try:
        from django.db import connection

        return getattr(connection, "schema_name", None)
    except Exception:  # noqa: BLE001 - logging must never fail because Django is not set up
        return None


class JsonFormatter(logging.Formatter):
    """Formats a record as one JSON object: ts, level, logger, message, request_id, schema, extras."""

    def format(self, record: logging.LogRecord) -> str:
        payload: dict[str, object] = {
            "ts": datetime.fromtimestamp(record.created, tz=UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        request_id = getattr(record, "request_id", None) or request_id_var.get()
        if request_id:
            payload["request_id"] = request_id
        schema = _current_schema()
        if schema:
            payload["schema"] = schema
        for key, value in record.__dict__.items():
            if key not in _STANDARD_ATTRS and key not in payload:
                payload[key] = value
        if record.exc_info:
            payload["exc_info"] = self.formatException(record.exc_info)
        if record.stack_info:
            payload["stack_info"] = self.formatStack(record.stack_info)
        return json.dumps(payload, ensure_ascii=False, default=str)


class RequestIdMiddleware:
    """Gives every request an id (the ingress's X-Request-ID when sane, else a new one).

    The id is put on the response (`X-Request-ID`) and on every log line written while the
    request runs. With `REQUEST_LOG = True` (production) it also writes one line per request
    holding the URL *pattern*, not the path: paths can carry a citizen's secret tracking link.
    """

    def __init__(self, get_response):
        from django.conf import settings

        self.get_response = get_response
        self.log_requests = getattr(settings, "REQUEST_LOG", False)

    def __call__(self, request):
        incoming = request.META.get("HTTP_X_REQUEST_ID", "")
        request_id = incoming if _SAFE_REQUEST_ID.match(incoming) else uuid.uuid4().hex
        request.request_id = request_id
        token = request_id_var.set(request_id)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            response.setdefault("X-Request-ID", request_id)
            if self.log_requests:
                request_logger.info(
                    "request",
                    extra={
                        "method": request.method,
                        "route": route_of(request),
                        "status": response.status_code,
                        "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                    },
                )
            return response
        finally:
            request_id_var.reset(token)
