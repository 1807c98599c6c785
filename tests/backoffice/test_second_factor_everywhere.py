"""Every staff, ops and dashboard page needs the second factor: a session that gave only the
password is sent to the second-factor page, an anonymous one to the sign-in page."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test import Client
from django.urls import URLPattern, get_resolver
from django_tenants.utils import tenant_context

from sipentol.accounts.models import RegencyRole, Role
from tests.accounts.staff import PASSWORD
from tests.conftest import JETIS_HOST
from tests.factories import RegencyUserFactory, StaffFactory

from .conftest import SIGN_IN_PAGES, backoffice_routes, read

STAFF_PAGES = [r for r in backoffice_routes() if r.name not in SIGN_IN_PAGES]
PUBLIC_SIGN_IN = {"login", "otp", "reauth", "logout", "invitation"}  # an invitation link opens without a sign-in


def _public_pages(urlconf: str, prefix: str) -> list[str]:
    """Every page of the ops console or the dashboard except its sign-in steps."""
    pages = []
    for pattern in get_resolver(urlconf).url_patterns:
        assert isinstance(pattern, URLPattern)
        if pattern.name.removeprefix("regency-dashboard-") in PUBLIC_SIGN_IN:
            continue
        path = re.sub(r"<int:\w+>", "1", str(pattern.pattern).replace("<slug:slug>", "jetis"))
        # the dashboard's downloads and export jobs
        path = path.replace("<slug:key>.<slug:fmt>", "kecamatan.xlsx")
        path = re.sub(r"<uuid:\w+>", "00000000-0000-4000-8000-000000000000", path)
        pages.append(prefix + path.replace("<str:action>", "resend"))
    return pages


OPS_PAGES = _public_pages("sipentol.ops.urls", "/ops/")
DASHBOARD_PAGES = _public_pages("sipentol.regency.urls", "/dashboard/")


def test_it_finds_pages_on_every_site():
    assert len(STAFF_PAGES) > 30 and "/ops/" in OPS_PAGES and "/dashboard/" in DASHBOARD_PAGES


def _wrong(client: Client, urls: list[str], expected_prefix: str) -> list[str]:
    wrong = []
    for url in urls:
        for method in ("get", "post"):
            got = read(getattr(client, method)(url))
            if got.status_code != 302 or not got["Location"].startswith(f"{expected_prefix}?next="):
                wrong.append(f"{method.upper()} {url}: {got.status_code} {got.get('Location', '')}")
    return wrong


def test_it_sends_a_password_only_staff_session_to_the_second_factor_on_every_page(office):
    with tenant_context(office.kecamatan):
        admin = StaffFactory(role=Role.ADMIN)  # enrolled; the most capable role
    connection.set_schema_to_public()
    client = Client(HTTP_HOST=JETIS_HOST)
    assert client.post("/kantor/masuk/", {"username": admin.username, "password": PASSWORD}).status_code == 302

    urls = [route.url(office.params) for route in STAFF_PAGES]

    assert _wrong(client, urls, "/kantor/masuk/otp/") == []


def test_it_sends_an_anonymous_visitor_to_the_staff_sign_in_on_every_page(office):
    urls = [route.url(office.params) for route in STAFF_PAGES]

    assert _wrong(Client(HTTP_HOST=JETIS_HOST), urls, "/kantor/masuk/") == []


@pytest.mark.parametrize(("prefix", "pages"), [("/ops/", OPS_PAGES), ("/dashboard/", DASHBOARD_PAGES)])
def test_it_sends_a_password_only_session_to_the_second_factor_on_every_ops_and_dashboard_page(
    jetis, public_client, prefix, pages
):
    RegencyUserFactory(username="diskominfo.uji", role=RegencyRole.DISKOMINFO_ADMIN)
    login = public_client.post(f"{prefix}masuk/", {"username": "diskominfo.uji", "password": PASSWORD})
    assert login.status_code == 302

    assert _wrong(public_client, pages, f"{prefix}masuk/otp/") == []


@pytest.mark.parametrize(("prefix", "pages"), [("/ops/", OPS_PAGES), ("/dashboard/", DASHBOARD_PAGES)])
def test_it_sends_an_anonymous_visitor_to_the_sign_in_on_every_ops_and_dashboard_page(
    jetis, public_client, prefix, pages
):
    assert _wrong(public_client, pages, f"{prefix}masuk/") == []
