"""Regency templates: Jetis publishes its configuration, versions differ, a new kecamatan starts from one."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django_tenants.utils import tenant_context

from services_catalog.blueprints import (
    PublishRefused,
    configuration_current,
    template_publish,
    template_source_set,
    template_version_apply,
)
from services_catalog.configured.models import KecamatanService, ServiceRequirement
from services_catalog.configured.services import kecamatan_service_update, service_requirement_update
from services_catalog.models import RegencyTemplateVersion, TemplateApplication
from sipentol.accounts.models import Role
from sipentol.letters.models import LetterTemplate
from tenants.blueprints import NotAllowed, check_allowed, section_get
from tenants.models import Kecamatan
from tenants.services import kecamatan_provision, kecamatan_set_status
from tests.accounts.staff import PASSWORD, public_sign_in, staff_client
from tests.factories import ApplicationFactory, StaffFactory


def _text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def _sections(kecamatan) -> dict:
    snapshot = configuration_current(kecamatan=kecamatan)["sections"]
    connection.set_schema_to_public()
    return snapshot


def _set_sla(kecamatan, slug: str, days: int) -> None:
    with tenant_context(kecamatan):
        service = KecamatanService.objects.get(slug=slug)
        kecamatan_service_update(service=service, actor="uji", changes={"sla_working_days": days})
    connection.set_schema_to_public()


def _sla(kecamatan, slug: str) -> int:
    with tenant_context(kecamatan):
        days = KecamatanService.objects.get(slug=slug).sla_working_days
    connection.set_schema_to_public()
    return days


@pytest.fixture
def jetis_admin(jetis):
    return staff_client(jetis, "admin.templat", Role.ADMIN)


def test_it_publishes_two_versions_over_http_and_the_diff_shows_exactly_the_edit(jetis, jetis_admin):
    # given Jetis's admin on the regency template page
    page = _text(jetis_admin.get("/kantor/templat-kabupaten/"))
    assert "12 layanan, 12 aktif" in page and 'id="publish"' in page

    # when they publish, change one service's SLA, and publish again
    first = jetis_admin.post("/kantor/templat-kabupaten/", {"name": "Templat Jetis", "note": "awal"})
    assert first.status_code == 302
    before = _sla(jetis, "domisili")
    _set_sla(jetis, "domisili", before + 2)
    second = jetis_admin.post("/kantor/templat-kabupaten/", {"name": "Templat Jetis", "note": "SLA domisili"})
    assert second.status_code == 302

    # then two numbered versions exist, the second holding the edit
    v1, v2 = RegencyTemplateVersion.objects.filter(template__name="Templat Jetis").order_by("number")
    assert (v1.number, v2.number) == (1, 2)
    assert v1.template.source == jetis and v1.published_by == "admin.templat"
    assert v2.snapshot["sections"]["services"]["domisili"]["sla_working_days"] == before + 2
    listed = _text(jetis_admin.get(second["Location"]))
    assert "Templat Jetis v2" in listed and "Templat Jetis v1" in listed and "SLA domisili" in listed

    # and the diff page between them names only that field, with old and new value
    diff = _text(jetis_admin.get(f"/kantor/templat-kabupaten/beda/?dari={v1.pk}&ke={v2.pk}"))
    changed = re.findall(r'<div class="changed" id="diff-(\w+)-([\w-]+)">', diff)
    assert changed == [("services", "domisili")]
    block = re.search(r'id="diff-services-domisili">(.*?)</div>', diff).group(1)
    assert block.count("<li>") == 1
    assert "jangka waktu (hari kerja)" in block
    assert f"<del>{before}</del> → <ins>{before + 2}</ins>" in block
    assert "Ditambahkan" not in diff and "Dihapus" not in diff


def test_it_refuses_publishing_to_a_verifier_and_to_a_kecamatan_not_marked_as_model(jetis, mojosari):
    # a verifier of Jetis (a model kecamatan) may not even open the page, nor publish
    verifier = staff_client(jetis, "verifikator.templat", Role.VERIFIER)
    assert verifier.get("/kantor/templat-kabupaten/").status_code == 403
    assert verifier.post("/kantor/templat-kabupaten/", {"name": "Templat Jetis"}).status_code == 403
    # Mojosari's admin: active, but not marked as a model by Diskominfo
    admin = staff_client(mojosari, "admin.mojosari", Role.ADMIN)
    page = _text(admin.get("/kantor/templat-kabupaten/"))
    assert 'id="not-a-model"' in page and 'id="publish"' not in page
    refused = _text(admin.post("/kantor/templat-kabupaten/", {"name": "Templat Mojosari"}))
    assert "belum ditetapkan Diskominfo sebagai kecamatan model" in refused

    assert not RegencyTemplateVersion.objects.exists()


def test_it_lets_a_kecamatan_diskominfo_marks_as_model_publish(mojosari):
    template_source_set(kecamatan_code=mojosari.code, enabled=True, actor="diskominfo")

    version = template_publish(kecamatan=mojosari, name="Templat Mojosari", actor="admin")

    assert version.number == 1 and version.template.source == mojosari


def test_it_puts_no_staff_application_key_or_nik_into_a_snapshot(jetis):
    # given Jetis with staff, an application and a signer's key material
    with tenant_context(jetis):
        member = StaffFactory(role=Role.VERIFIER)
        application = ApplicationFactory(applicant_name="Wahyu Prasetyo Ujicoba")
    connection.set_schema_to_public()

    version = template_publish(kecamatan=jetis, name="Templat Jetis", actor="admin")

    # then the snapshot holds only the sections' allowed fields, nothing of people or keys
    text = repr(version.snapshot)
    assert set(version.snapshot["sections"]) == {"services", "letters", "office"}
    assert member.username not in text and application.tracking_code not in text
    assert application.applicant_nik not in text and application.applicant_name not in text
    for forbidden in ("password", "p12", "private_key", "totp", "holder_nik", "tracking_code"):
        assert forbidden not in text
    services = section_get("services")
    with pytest.raises(NotAllowed):
        check_allowed(services, {"domisili": {"name": "x", "applications": []}})
    with pytest.raises(NotAllowed):
        check_allowed(section_get("office"), {"office": {"office_hours": "Hubungi 3516012345678901"}})


def test_it_provisions_a_new_kecamatan_equal_to_jetis_latest_version_and_keeps_it_apart(jetis):
    # given Jetis customised, and published
    _set_sla(jetis, "domisili", 9)
    with tenant_context(jetis):
        req = ServiceRequirement.objects.filter(service__slug="sktm").first()
        service_requirement_update(requirement=req, actor="uji", changes={"required": not req.required})
        kecamatan_service_update(
            service=KecamatanService.objects.get(slug="waris"), actor="uji", changes={"enabled": False}
        )
        LetterTemplate.objects.update_or_create(
            service_slug="domisili", defaults={"title": "Surat Domisili Jetis", "html": "<p>Jetis</p>", "css": ""}
        )
    connection.set_schema_to_public()
    Kecamatan.objects.filter(pk=jetis.pk).update(office_hours="Senin-Jumat 07.30-15.00")
    jetis.refresh_from_db()
    version = template_publish(kecamatan=jetis, name="Templat Jetis", actor="admin")

    # when a new kecamatan is provisioned without naming a version
    new, created = kecamatan_provision(code="35.16.95", name="Uji Templat", slug="ujitemplat")

    # then its configuration equals the snapshot
    assert created
    assert _sections(new) == version.snapshot["sections"]
    assert TemplateApplication.objects.get(kecamatan=new).version == version

    # and a later change in Jetis does not reach it
    _set_sla(jetis, "domisili", 11)
    assert _sla(new, "domisili") == 9


def test_it_applies_twice_without_duplicating_and_keeps_the_kecamatan_own_edit(jetis):
    version = template_publish(kecamatan=jetis, name="Templat Jetis", actor="admin")
    new, _ = kecamatan_provision(code="35.16.94", name="Uji Ulang", slug="ujiulang", template_version=version)
    with tenant_context(new):
        counts = (KecamatanService.objects.count(), ServiceRequirement.objects.count(), LetterTemplate.objects.count())
    connection.set_schema_to_public()
    _set_sla(new, "sktm", 20)  # the new kecamatan's own choice

    # when provisioning runs again, and the version is applied once more
    kecamatan_provision(code="35.16.94", name="Uji Ulang", slug="ujiulang")
    template_version_apply(kecamatan=new, version=version, actor="uji")

    # then nothing is duplicated and the local edit stays
    with tenant_context(new):
        again = (KecamatanService.objects.count(), ServiceRequirement.objects.count(), LetterTemplate.objects.count())
    connection.set_schema_to_public()
    assert again == counts
    assert _sla(new, "sktm") == 20
    assert TemplateApplication.objects.filter(kecamatan=new).count() == 3


def test_it_falls_back_to_the_repository_catalog_when_no_template_was_published(db):
    new, _ = kecamatan_provision(code="35.16.93", name="Uji Katalog", slug="ujikatalog")

    with tenant_context(new):
        assert KecamatanService.objects.filter(enabled=True).count() == 12
    connection.set_schema_to_public()
    assert not TemplateApplication.objects.filter(kecamatan=new).exists()


def test_it_shows_versions_and_their_diff_in_the_ops_console_and_marks_a_model(jetis, public_client, mojosari):
    v1 = template_publish(kecamatan=jetis, name="Templat Jetis", actor="admin")
    _set_sla(jetis, "legalisir", _sla(jetis, "legalisir") + 1)
    v2 = template_publish(kecamatan=jetis, name="Templat Jetis", actor="admin")
    ops = get_user_model().objects.create_user("ops-templat", password=PASSWORD, is_staff=True)
    public_sign_in(public_client, ops, "/ops/")

    page = _text(public_client.get("/ops/templat/"))
    assert "Templat Jetis v2" in page and "Templat Jetis v1" in page
    diff = _text(public_client.get(f"/ops/templat/beda/?dari={v1.pk}&ke={v2.pk}"))
    assert re.findall(r'<div class="changed" id="diff-(\w+)-([\w-]+)">', diff) == [("services", "legalisir")]

    marked = public_client.post(f"/ops/templat/model/{mojosari.slug}/", {"enabled": "1"})
    assert marked.status_code == 302
    assert template_publish(kecamatan=mojosari, name="Templat Mojosari", actor="admin").number == 1


def test_it_refuses_an_onboarding_kecamatan_marked_as_model(mojosari):
    template_source_set(kecamatan_code=mojosari.code, enabled=True, actor="diskominfo")
    onboarding = kecamatan_set_status(kecamatan=mojosari, status=Kecamatan.Status.ONBOARDING, actor="uji")

    with pytest.raises(PublishRefused, match="kecamatan model"):
        template_publish(kecamatan=onboarding, name="Templat Mojosari", actor="admin")


def test_it_lists_a_letter_template_added_or_removed_between_versions(jetis):
    from services_catalog.blueprints import template_version_diff

    with tenant_context(jetis):
        LetterTemplate.objects.create(service_slug="uji-khusus", title="Surat Uji Khusus", html="<p>x</p>")
    connection.set_schema_to_public()
    with_it = template_publish(kecamatan=jetis, name="Templat Jetis", actor="admin")
    with tenant_context(jetis):
        LetterTemplate.objects.filter(service_slug="uji-khusus").delete()
    connection.set_schema_to_public()
    without = template_publish(kecamatan=jetis, name="Templat Jetis", actor="admin")

    removed = {s["name"]: s for s in template_version_diff(with_it, without)}["letters"]
    added = {s["name"]: s for s in template_version_diff(without, with_it)}["letters"]

    assert (removed["removed"], removed["added"], removed["changed"]) == (["Surat Uji Khusus"], [], [])
    assert (added["added"], added["removed"], added["changed"]) == (["Surat Uji Khusus"], [], [])


def test_it_keeps_a_letter_template_from_the_regency_template_when_defaults_are_refreshed(jetis):
    from sipentol.letters.selectors import letter_templates_outdated
    from sipentol.letters.services import letter_templates_init

    with tenant_context(jetis):
        LetterTemplate.objects.update_or_create(
            service_slug="sktm", defaults={"title": "SKTM Jetis", "html": "<p>Jetis SKTM</p>", "css": ""}
        )
    connection.set_schema_to_public()
    version = template_publish(kecamatan=jetis, name="Templat Jetis", actor="admin")
    new, _ = kecamatan_provision(code="35.16.92", name="Uji Surat", slug="ujisurat", template_version=version)

    with tenant_context(new):
        outdated = letter_templates_outdated()
        letter_templates_init()
        html = LetterTemplate.objects.get(service_slug="sktm").html
    connection.set_schema_to_public()

    assert outdated == 0
    assert html == "<p>Jetis SKTM</p>"
