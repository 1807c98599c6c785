"""The regency dashboard in a real browser on a phone: every board page renders in Bahasa
Indonesia, has no serious accessibility violation (axe-core), does not scroll sideways (wide
tables scroll in their own box) and draws its trend chart without any outside file."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.db import connection, connections
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from sipentol.accounts.models import RegencyProfile, RegencyRole
from tenants.models import Kecamatan
from tests.regency.helpers import publish_fact, remove_facts, schemaless_kecamatan

from .conftest import PASSWORD, Screens, axe_serious, new_context

pytestmark = pytest.mark.slow

BOARD_PAGES = [
    ("board", "/dashboard/"),
    ("board-page-2", "/dashboard/?hal=2"),
    ("overdue", "/dashboard/terlambat/"),
    ("recap", "/dashboard/rekap/"),
]
# Active kecamatan added for the board's per-kecamatan table to need a second page (public rows
# only, no schema: the board reads the public tables), removed after the module.
EXTRA_KECAMATAN = 30


@pytest.fixture(scope="module")
def leader_with_facts(django_db_setup, django_db_blocker):
    """A committed regency leader with an authenticator, committed facts of three kecamatan, and
    EXTRA_KECAMATAN more active kecamatan so that the per-kecamatan table has two pages."""
    with django_db_blocker.unblock():
        connection.set_schema_to_public()
        extra = schemaless_kecamatan("e2e", "Zz Contoh", EXTRA_KECAMATAN)
        user = get_user_model().objects.create_user("e2e.pimpinan", password=PASSWORD, first_name="Pimpinan")
        RegencyProfile.objects.create(user=user, role=RegencyRole.LEADER)
        device = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)
        now, today = timezone.now(), timezone.localdate()
        facts = []
        for n, slug in enumerate(["jetis", "mojosari", "jetis", "pacet"]):
            facts.append(
                publish_fact(
                    Kecamatan.objects.get(slug=slug),
                    application_id=800_000 + n,
                    service_code="domisili",
                    service_name="Surat Keterangan Domisili",
                    channel="online",
                    status="in_review" if n % 2 else "issued",
                    submitted_at=now - dt.timedelta(days=40 * n),
                    due_date=today - dt.timedelta(days=n),
                    clock_running=bool(n % 2),
                    closed_at=None if n % 2 else now,
                    issued_at=None if n % 2 else now,
                    working_days_taken=None if n % 2 else n + 1,
                    on_time=None if n % 2 else True,
                    tracking_code=f"E2E-{n}",
                    assigned_to="budi" if n % 2 else "",
                )
            )
        connections.close_all()
    yield device
    with django_db_blocker.unblock():
        connection.set_schema_to_public()
        remove_facts(facts)
        Kecamatan.objects.filter(pk__in=[k.pk for k in extra]).delete()
        connections.close_all()


def test_it_shows_every_board_page_on_a_phone(browser, app_server, leader_with_facts):
    device = leader_with_facts
    page = new_context(browser, phone=True).new_page()
    screens = Screens("regency-dashboard")
    page.goto(app_server.url("localhost", "/dashboard/"))
    page.get_by_label("Nama pengguna").fill("e2e.pimpinan")
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.get_by_role("button", name="Lanjut").click()
    page.wait_for_url("**/dashboard/masuk/otp/**")
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    page.locator("input[name=token]").fill(f"{totp.token():0{device.digits}d}")
    page.get_by_role("button", name="Verifikasi").click()
    page.wait_for_url(app_server.url("localhost", "/dashboard/"))
    outside = []
    page.on("request", lambda request: outside.append(request.url) if "localhost" not in request.url else None)

    for name, path in BOARD_PAGES:
        response = page.goto(app_server.url("localhost", path))
        assert response.status == 200, (path, response.status)
        assert page.locator("html").get_attribute("lang") == "id"
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 1, (path, overflow)
        assert axe_serious(page) == [], path
        screens.take(page, name)

    page.goto(app_server.url("localhost", "/dashboard/"))
    chart = page.locator("svg.chart")
    assert chart.count() == 1 and chart.bounding_box()["width"] <= 360
    assert page.locator("#table-tren").count() == 1
    # the per-kecamatan table is paged; the next page carries the filters and ends with the totals
    pager = page.locator("#kecamatan nav.pager")
    assert pager.count() == 1 and "semua ada di unduhan" in pager.inner_text()
    pager.get_by_role("link", name="Berikutnya →").click()
    page.wait_for_url("**hal=2**")
    assert page.locator("#kecamatan th[scope=row]", has_text="Seluruh kabupaten").count() == 1
    assert outside == []
