"""The admin's letter templates page: every default listed without storing it on GET, stored on
the first save; unedited templates refreshed from new defaults only when the admin asks."""

from __future__ import annotations

from django.db import connection
from django_tenants.utils import tenant_context

from sipentol.accounts.models import Role
from sipentol.letters.catalog import DEFAULT_LETTERS, default_template_source
from sipentol.letters.models import LetterTemplate
from tests.accounts.staff import staff_client


def _count(kecamatan) -> int:
    with tenant_context(kecamatan):
        count = LetterTemplate.objects.count()
    connection.set_schema_to_public()
    return count


def test_it_lists_and_opens_the_defaults_without_storing_them_until_the_admin_saves(jetis):
    # given a kecamatan whose templates were never stored
    with tenant_context(jetis):
        LetterTemplate.objects.all().delete()
    admin = staff_client(jetis, "admin-templat", Role.ADMIN)

    # when the admin opens the list and one template
    listing = admin.get("/kantor/templat-surat/").content.decode()
    page = admin.get("/kantor/templat-surat/domisili/")

    # then all defaults are there, editable, and nothing was stored
    assert all(title in listing for title in DEFAULT_LETTERS.values())
    assert page.status_code == 200 and "Surat Keterangan Domisili" in page.content.decode()
    assert _count(jetis) == 0
    assert admin.get("/kantor/templat-surat/tidak-ada/").status_code == 404

    # and saving stores it, as edited by the admin
    html, css = default_template_source("domisili")
    saved = admin.post(
        "/kantor/templat-surat/domisili/", {"action": "save", "html": html + "<p>Tambahan</p>", "css": css}
    )
    assert saved.status_code == 302
    with tenant_context(jetis):
        template = LetterTemplate.objects.get()
        assert template.service_slug == "domisili" and template.updated_by.username == "admin-templat"
        assert template.html.endswith("<p>Tambahan</p>")


def test_it_refreshes_unedited_templates_from_the_defaults_when_the_admin_asks(jetis):
    from django.contrib.auth import get_user_model

    from sipentol.letters.services import letter_templates_init

    # given stored templates: one never edited but from older defaults, one edited by an admin
    admin = staff_client(jetis, "admin-segarkan", Role.ADMIN)
    with tenant_context(jetis):
        letter_templates_init()
        LetterTemplate.objects.filter(service_slug="sktm").update(html="<p>bawaan lama</p>")
        LetterTemplate.objects.filter(service_slug="domisili").update(
            html="<p>milik admin</p>", updated_by=get_user_model().objects.get(username="admin-segarkan")
        )
    connection.set_schema_to_public()

    # when the admin opens the list, it offers the refresh without doing it
    listing = admin.get("/kantor/templat-surat/").content.decode()
    assert "1 templat yang belum pernah diubah" in listing
    with tenant_context(jetis):
        assert LetterTemplate.objects.get(service_slug="sktm").html == "<p>bawaan lama</p>"

    # and the POST refreshes only the unedited one
    done = admin.post("/kantor/templat-surat/", follow=True).content.decode()
    assert "1 templat surat bawaan dipasang atau diperbarui" in done
    with tenant_context(jetis):
        assert LetterTemplate.objects.get(service_slug="sktm").html == default_template_source("sktm")[0]
        assert LetterTemplate.objects.get(service_slug="domisili").html == "<p>milik admin</p>"
    assert "templat yang belum pernah diubah" not in done
