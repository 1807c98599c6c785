"""The API against its own OpenAPI schema (schemathesis, all checks): no server error and no
answer outside the schema, anonymously and as a staff member signed in with the second factor.

A short run in `make test`: 8 generated cases per operation, derandomized (the same cases every
run). `make soak` runs it long: SCHEMATHESIS_MAX_EXAMPLES cases per operation, random ones.
"""

from __future__ import annotations

import os
from contextlib import contextmanager

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections, transaction
from hypothesis import HealthCheck, given, settings
from schemathesis import checks

from sipentol.accounts.models import Role
from tests.accounts.staff import staff_client

HOST = "jetis.localhost"
MAX_EXAMPLES = int(os.environ.get("SCHEMATHESIS_MAX_EXAMPLES", "8"))
DERANDOMIZE = "SCHEMATHESIS_MAX_EXAMPLES" not in os.environ


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


def _with_session(app, cookie: str):
    """The app as a browser holding this session reaches it: the Cookie header on every request."""

    def wrapped(environ, start_response):
        environ["HTTP_COOKIE"] = cookie
        return app(environ, start_response)

    return wrapped


def _schema(app):
    with _connection_kept():
        return schemathesis.openapi.from_wsgi("/api/schema/", app, headers={"Host": HOST})


@pytest.fixture
def api_schema(db):
    return _schema(get_wsgi_application())


def _caller(operation, seen: set[int], headers: dict, cookies: dict | None, excluded: list | None = None):
    @settings(
        max_examples=MAX_EXAMPLES,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        derandomize=DERANDOMIZE,
        database=None,
    )
    @given(case=operation.as_strategy())
    def call(case):
        # One savepoint per request, as autocommit gives each request of a real server its own
        # transaction: a refused write must not poison the next request of this test.
        with transaction.atomic():
            response = case.call_and_validate(
                base_url=f"http://{HOST}", headers=headers, cookies=cookies, excluded_checks=excluded
            )
            seen.add(response.status_code)

    return call


def _run(api_schema, headers: dict, cookies: dict | None = None, excluded: list | None = None) -> dict[str, set[int]]:
    """Every operation of the schema, a few generated cases each, all of schemathesis's checks;
    returns the status codes seen per operation."""
    operations: dict[str, set[int]] = {}
    for result in api_schema.get_all_operations():
        operation = result.ok()
        call = _caller(operation, operations.setdefault(operation.label, set()), headers, cookies, excluded)
        with _connection_kept():
            call()
    return operations


def test_it_answers_every_operation_within_its_schema_anonymously(api_schema, jetis):
    operations = _run(api_schema, {"Host": HOST})

    assert len(operations) >= 10
    assert operations["GET /api/v1/kantor/permohonan/"] == {403}


def test_it_answers_every_operation_within_its_schema_for_a_signed_in_staff_member(jetis):
    staff = staff_client(jetis, "api.fuzz", Role.VERIFIER)
    cookie = "; ".join(f"{name}={morsel.value}" for name, morsel in staff.cookies.items())

    # The session is put on every request at the WSGI boundary, so schemathesis's "ignored auth"
    # check cannot take it away to try a request without it: the anonymous run above is that test.
    operations = _run(
        _schema(_with_session(get_wsgi_application(), cookie)),
        {"Host": HOST, "X-CSRFToken": staff.cookies["csrftoken"].value},  # as the staff pages' JavaScript would
        excluded=[checks.ignored_auth],
    )

    assert len(operations) >= 10
    assert 200 in operations["GET /api/v1/kantor/permohonan/"]  # the session really is a staff one
    # and the staff writes were fuzzed past the CSRF check (unknown ids answer 404, bad input 400)
    assert any(label.startswith("POST /api/v1/kantor") and seen - {403} for label, seen in operations.items())
