"""One source for a letter's classification code: the service's configuration page.

The admin kecamatan sees and edits the code on /kantor/layanan/<slug>/; every letter of the
service is numbered `<that code>/<urut>/<kode unit>/<tahun>`, and the letter template page
only shows it.
"""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django_tenants.utils import tenant_context

from services_catalog.configured.models import KecamatanService, ServiceChangeEvent
from services_catalog.configured.staff_views import ServiceForm
from services_catalog.data.standards import SERVICES
from sipentol.accounts.models import Role
from sipentol.applications import services as app_services
from sipentol.applications.models import Status
from sipentol.letters.services import letter_sign
from tests.accounts.staff import staff_client
from tests.factories import ApplicationFactory

SLUGS = [s["code"] for s in SERVICES]


@pytest.fixture
def jetis_admin(jetis):
    return staff_client(jetis, "admin.klasifikasi", Role.ADMIN)


def shown_code(admin, slug: str) -> str:
    """The code in the classification box of the service's configuration page."""
    page = admin.get(f"/kantor/layanan/{slug}/").content.decode()
    return re.search(r'<input[^>]*name="letter_classification"[^>]*value="([^"]*)"', page).group(1)


def page_text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def draft_letter(env, slug: str):
    """A verified application of the service gets its letter drafted and sent to the Camat."""
    with tenant_context(env.kecamatan):
        application = ApplicationFactory(service=KecamatanService.objects.get(slug=slug), status=Status.VERIFIED)
        app_services.application_letter_draft(application=application, actor=env.verifier)
        letter = app_services.application_letter_submit(application=application, actor=env.verifier)
    connection.set_schema_to_public()
    return letter


def sign(env, letter):
    with tenant_context(env.kecamatan):
        letter = letter_sign(letter=letter, signer_user=env.camat, second_factor_ok=True)
    connection.set_schema_to_public()
    return letter


def post_code(admin, kecamatan, slug: str, code: str):
    """The admin types `code` into the service page's form and saves, the rest unchanged."""
    with tenant_context(kecamatan):
        service = KecamatanService.objects.get(slug=slug)
    connection.set_schema_to_public()
    return admin.post(f"/kantor/layanan/{slug}/", {**ServiceForm.initial_for(service), "letter_classification": code})


@pytest.mark.parametrize("slug", SLUGS)
def test_it_numbers_a_drafted_and_signed_letter_with_the_code_the_service_page_shows(letters_env, jetis_admin, slug):
    code = shown_code(jetis_admin, slug)

    drafted = draft_letter(letters_env, slug)
    signed = sign(letters_env, drafted)

    assert code
    assert signed.number.startswith(f"{code}/")


def test_it_shows_each_services_code_on_the_letter_templates_read_only(letters_env, jetis_admin):
    templates = page_text(jetis_admin.get("/kantor/templat-surat/"))

    for slug in SLUGS:
        code = shown_code(jetis_admin, slug)
        card = re.search(rf'<li class="card" id="templat-{slug}">(.*?)</li>', templates).group(1)
        assert f"Kode klasifikasi {code}<" in card
        page = page_text(jetis_admin.get(f"/kantor/templat-surat/{slug}/"))
        assert f"Kode klasifikasi surat: <strong>{code}</strong>" in page
        assert f'href="/kantor/layanan/{slug}/#surat"' in page
        assert 'name="classification"' not in page


def test_it_audits_a_changed_code_and_shows_and_numbers_with_it_in_that_kecamatan_only(
    letters_env, jetis_admin, mojosari
):
    # given SKTM at the code the catalog gave it
    before = shown_code(jetis_admin, "sktm")
    assert before != "401"

    # when the admin saves 401 on the service page
    response = post_code(jetis_admin, letters_env.kecamatan, "sktm", "401")

    # then the change is recorded, and the page, the template page and the next letter say 401
    assert response.status_code == 302
    with tenant_context(letters_env.kecamatan):
        event = ServiceChangeEvent.objects.filter(service__slug="sktm").first()
        assert (event.actor, event.action) == ("admin.klasifikasi", "update")
        assert event.changes == {"letter_classification": {"from": before, "to": "401"}}
    connection.set_schema_to_public()
    assert shown_code(jetis_admin, "sktm") == "401"
    assert "Kode klasifikasi surat: <strong>401</strong>" in page_text(jetis_admin.get("/kantor/templat-surat/sktm/"))
    history = page_text(jetis_admin.get("/kantor/layanan/sktm/riwayat/"))
    assert f"<li>Kode klasifikasi surat: <del>{before}</del> → <ins>401</ins></li>" in history
    assert sign(letters_env, draft_letter(letters_env, "sktm")).number.startswith("401/")
    # and Mojosari's SKTM keeps its own code
    assert shown_code(staff_client(mojosari, "admin.mojosari", Role.ADMIN), "sktm") == before


def test_it_numbers_a_letter_waiting_for_signature_with_the_code_in_force_when_signed(letters_env, jetis_admin):
    waiting = draft_letter(letters_env, "domisili")

    post_code(jetis_admin, letters_env.kecamatan, "domisili", "470.1")
    signed = sign(letters_env, waiting)

    assert signed.number.startswith("470.1/")
    assert signed.classification == "470.1"


@pytest.mark.parametrize("code", ["470/12", "47 0", "abc", "", "1" * 21])
def test_it_refuses_a_code_that_would_break_the_letter_number(jetis, jetis_admin, code):
    before = shown_code(jetis_admin, "sktm")

    response = post_code(jetis_admin, jetis, "sktm", code)

    assert response.status_code == 400
    assert shown_code(jetis_admin, "sktm") == before
    with tenant_context(jetis):
        assert not ServiceChangeEvent.objects.filter(service__slug="sktm", action="update").exists()


def test_it_lets_the_camat_see_but_not_change_the_code(jetis, jetis_admin):
    camat = staff_client(jetis, "camat.klasifikasi", Role.CAMAT)
    before = shown_code(jetis_admin, "sktm")

    page = page_text(camat.get("/kantor/layanan/sktm/"))
    refused = post_code(camat, jetis, "sktm", "401")

    assert '<fieldset id="surat" disabled>' in page and f'value="{before}"' in page
    assert refused.status_code == 403
    assert shown_code(jetis_admin, "sktm") == before
