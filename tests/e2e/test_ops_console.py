"""Diskominfo's console in a real browser on a phone: signed in with password and TOTP, every
page of the console renders in Bahasa Indonesia, has no serious accessibility violation (axe-core)
and does not make the page itself scroll sideways (wide tables scroll inside their own box)."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.db import connection, connections
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from sipentol.accounts.models import RegencyProfile, RegencyRole

from .conftest import PASSWORD, Screens, axe_serious, new_context

pytestmark = pytest.mark.slow

CONSOLE_PAGES = [
    ("console", "/ops/"),
    ("kecamatan", "/ops/kecamatan/jetis/"),
    ("golive", "/ops/kecamatan/trowulan/siap-layanan/"),
    ("onboarding", "/ops/kecamatan/baru/"),
    ("billing", "/ops/tagihan/"),
    ("templates", "/ops/templat/"),
    ("retention", "/ops/privasi/"),
    ("accounts", "/ops/akun/"),
    ("facts", "/ops/fakta/"),
]


@pytest.fixture(scope="module")
def diskominfo_admin(django_db_setup, django_db_blocker):
    """A committed Diskominfo admin (public schema) with a confirmed authenticator."""
    with django_db_blocker.unblock():
        connection.set_schema_to_public()
        user = get_user_model().objects.create_user("e2e.diskominfo", password=PASSWORD, first_name="Dewi")
        RegencyProfile.objects.create(user=user, role=RegencyRole.DISKOMINFO_ADMIN)
        device = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)
        connections.close_all()  # as make_staff does: no connection left open outside a test
    return device


def _code(device) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


def test_it_shows_every_console_page_on_a_phone_after_password_and_totp(browser, app_server, diskominfo_admin):
    page = new_context(browser, phone=True).new_page()
    screens = Screens("ops-console")
    page.goto(app_server.url("localhost", "/ops/"))
    page.get_by_label("Nama pengguna").fill("e2e.diskominfo")
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.get_by_role("button", name="Lanjut").click()
    page.wait_for_url("**/ops/masuk/otp/**")
    page.locator("input[name=token]").fill(_code(diskominfo_admin))
    page.get_by_role("button", name="Verifikasi").click()
    page.wait_for_url(app_server.url("localhost", "/ops/"))

    for name, path in CONSOLE_PAGES:
        response = page.goto(app_server.url("localhost", path))
        assert response.status == 200, (path, response.status)
        assert page.locator("html").get_attribute("lang") == "id"
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 1, (path, overflow)
        assert axe_serious(page) == [], path
        screens.take(page, name)
