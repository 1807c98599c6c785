"""The API against its own OpenAPI schema (schemathesis, all checks): no server error and no
answer outside the schema, for an anonymous client (staff operations answer it 403, documented).

A short run: 8 generated cases per operation.
"""

from __future__ import annotations

from contextlib import contextmanager

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections, transaction
from hypothesis import HealthCheck, given, settings

HOST = "jetis.localhost"


@contextmanager
def _connection_kept():
    """As Django's test client does: the test's transaction must survive each in-process request."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


@pytest.fixture
def api_schema(db):
    with _connection_kept():
        return schemathesis.openapi.from_wsgi("/api/schema/", get_wsgi_application(), headers={"Host": HOST})


def _caller(operation, seen: set[int], headers: dict, cookies: dict | None):
    @settings(max_examples=8, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True, database=None)
    @given(case=operation.as_strategy())
    def call(case):
        # One savepoint per request, as autocommit gives each request of a real server its own
        # transaction: a refused write must not poison the next request of this test.
        with transaction.atomic():
            response = case.call_and_validate(base_url=f"http://{HOST}", headers=headers, cookies=cookies)
            seen.add(response.status_code)

    return call


def _run(api_schema, headers: dict, cookies: dict | None = None) -> dict[str, set[int]]:
    """Every operation of the schema, a few generated cases each, all of schemathesis's checks;
    returns the status codes seen per operation."""
    operations: dict[str, set[int]] = {}
    for result in api_schema.get_all_operations():
        operation = result.ok()
        call = _caller(operation, operations.setdefault(operation.label, set()), headers, cookies)
        with _connection_kept():
            call()
    return operations


def test_it_answers_every_operation_within_its_schema_anonymously(api_schema, jetis):
    operations = _run(api_schema, {"Host": HOST})

    assert len(operations) >= 10
    assert operations["GET /api/v1/kantor/permohonan/"] == {403}
