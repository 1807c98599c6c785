"""axe-core in the browser: no serious or critical violation on public and main staff pages."""

from __future__ import annotations

import re

import pytest

from sipentol.accounts.models import Role

from .conftest import axe_serious, new_context, staff_sign_in, submit_application

pytestmark = pytest.mark.slow

PUBLIC_PAGES = [
    ("localhost", "/"),  # regency home
    ("jetis", "/"),
    ("jetis", "/layanan/"),
    ("jetis", "/layanan/?q=domisili"),
    ("jetis", "/layanan/domisili/"),
    ("jetis", "/kontak/"),
    ("jetis", "/tanya-jawab/"),
    ("jetis", "/layanan/domisili/ajukan/"),
    ("jetis", "/lacak/"),
    ("jetis", "/lacak/?kode=JTS-0000-XXXX"),  # not found: the error message must be accessible too
]


def check(page) -> None:
    violations = axe_serious(page)
    assert violations == [], f"{page.url}: {violations}"


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_it_has_no_serious_violations_on_public_pages(browser, app_server, viewport):
    context = new_context(browser, phone=viewport == "phone")
    page = context.new_page()
    failures = {}
    for host, path in PUBLIC_PAGES:
        page.goto(app_server.url(host, path))
        if violations := axe_serious(page):
            failures[f"{host}{path}"] = violations
    # the form's own error messages, after sending it empty
    page.goto(app_server.url("jetis", "/layanan/domisili/ajukan/"))
    page.get_by_role("button", name="Kirim permohonan").click()
    page.wait_for_selector(".has-error")
    if violations := axe_serious(page):
        failures["apply form with errors"] = violations
    assert failures == {}
    # and axe does see a problem when there is one (an image without text, a button without a name)
    page.evaluate(
        "() => document.querySelector('main').insertAdjacentHTML('beforeend', '<img src=/x.png><button></button>')"
    )
    assert {v["id"] for v in axe_serious(page)} >= {"image-alt", "button-name"}


def test_it_has_no_serious_violations_on_receipt_tracking_and_staff_pages(browser, app_server, make_staff, tmp_path):
    citizen = new_context(browser, phone=True).new_page()
    receipt_url = submit_application(citizen, app_server, tmp_path)
    check(citizen)  # receipt
    code = citizen.locator(".tracking-code").inner_text().strip()
    citizen.goto(app_server.url("jetis", f"/lacak/?kode={code}"))
    check(citizen)  # tracking with a result

    staff = new_context(browser, phone=False).new_page()
    staff.goto(app_server.url("jetis", "/kantor/masuk/"))
    check(staff)  # login
    staff_sign_in(staff, app_server, make_staff("jetis", "axe.verifikator", Role.VERIFIER))
    check(staff)  # queue
    staff.get_by_role("link", name=code).click()
    staff.wait_for_url(re.compile(r"/kantor/permohonan/\d+/$"))
    check(staff)  # application page, waiting for review
    staff.get_by_role("button", name="Mulai periksa").click()
    staff.wait_for_url(re.compile(r"/kantor/permohonan/\d+/$"))
    check(staff)  # application page, in review
    assert receipt_url
