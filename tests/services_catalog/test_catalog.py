"""The regency catalog and each kecamatan's own copy of it."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django_tenants.utils import tenant_context

from services_catalog.configured.models import KecamatanService, ServiceChangeEvent
from services_catalog.configured.selectors import service_get, service_list
from services_catalog.configured.services import (
    kecamatan_service_set_enabled,
    kecamatan_service_update,
    kecamatan_services_init,
    service_requirement_add,
    service_requirement_update,
)
from services_catalog.data.standards import SERVICES
from services_catalog.models import CatalogEvent, CatalogFAQ, CatalogRequirement, CatalogService
from services_catalog.services import catalog_load

TWELVE = {
    "Surat Keterangan Waris",
    "Surat Pindah Keluar",
    "Surat Pindah Datang",
    "Dispensasi Nikah",
    "Surat Pengantar SKCK",
    "Surat Keterangan Tidak Mampu (SKTM/SKM)",
    "Jampersal (Jaminan Persalinan)",
    "Surat Keterangan Domisili",
    "Izin Keramaian",
    "Surat Rekomendasi BBM",
    "Legalisir",
    "Izin Penggunaan Jalan untuk Kegiatan Selain Lalu Lintas",
}
FIELD_TYPES = {"text", "textarea", "date", "number", "nik", "kk", "phone", "email", "desa", "choice"}


def _snapshot():
    return (
        list(CatalogService.objects.order_by("code").values()),
        list(CatalogRequirement.objects.order_by("pk").values()),
        list(CatalogFAQ.objects.order_by("pk").values()),
    )


def test_it_holds_the_twelve_sipentolmanis_services_with_every_standard_component(db):
    services = list(CatalogService.objects.prefetch_related("requirements"))
    assert {s.name for s in services} == TWELVE
    for s in services:
        assert s.summary and s.product and s.complaint_handling and s.legal_basis, s.code
        assert s.sla_working_days >= 1 and s.fee_rupiah == 0, s.code
        assert len(s.procedure) >= 5, s.code
        assert "Undang-Undang Nomor 25 Tahun 2009 tentang Pelayanan Publik" in s.legal_basis_lines
        assert any("PATEN" in line for line in s.legal_basis_lines)
        assert "LAPOR" in s.complaint_handling
        reqs = list(s.requirements.all())
        assert any(r.required for r in reqs), s.code
        for r in reqs:
            assert (
                r.explanation
                and r.accepted_types
                and set(r.accepted_types)
                <= {
                    "image/jpeg",
                    "image/png",
                    "application/pdf",
                }
            )
            assert (r.max_image_mb, r.max_pdf_mb) == (5, 10)
        names = [f["name"] for f in s.form_fields]
        assert len(names) == len(set(names)), s.code
        assert {"nama", "nik", "telepon", "desa"} <= set(names), s.code
        assert {f["type"] for f in s.form_fields} <= FIELD_TYPES
        assert all(f["choices"] for f in s.form_fields if f["type"] == "choice")


def test_it_asks_for_what_a_kecamatan_really_needs(db):
    waris = CatalogService.objects.get(code="waris")
    codes = set(waris.requirements.values_list("code", flat=True))
    assert {"akta-kematian", "surat-pernyataan-ahli-waris", "ktp-saksi", "pengantar-desa"} <= codes
    assert {"nama_pewaris", "tanggal_meninggal", "daftar_ahli_waris"} <= {f["name"] for f in waris.form_fields}
    bbm = CatalogService.objects.get(code="rekomendasi-bbm")
    assert {"jenis_usaha", "kebutuhan_liter_bulan", "alat_digunakan"} <= {f["name"] for f in bbm.form_fields}
    jalan = CatalogService.objects.get(code="izin-penggunaan-jalan")
    assert {"ruas_jalan", "tanggal_kegiatan", "jam_mulai"} <= {f["name"] for f in jalan.form_fields}


def test_it_changes_nothing_when_the_catalog_is_loaded_twice(db, jetis):
    # given the catalog the suite's set-up loaded
    before = _snapshot()
    events = CatalogEvent.objects.count()
    with tenant_context(jetis):
        jetis_before = list(KecamatanService.objects.order_by("pk").values())

    # when loading again, by the service and by both commands
    result = catalog_load()
    call_command("load_catalog", verbosity=0)
    call_command("load_regency", verbosity=0)

    # then
    assert (result.created, result.updated, result.unchanged, result.faqs_changed) == (0, 0, 12, 0)
    assert _snapshot() == before
    assert CatalogEvent.objects.count() == events
    with tenant_context(jetis):
        assert list(KecamatanService.objects.order_by("pk").values()) == jetis_before


def test_it_updates_a_changed_entry_without_touching_kecamatan_copies(db, jetis):
    data = [dict(s) for s in SERVICES]
    domisili = next(s for s in data if s["code"] == "domisili")
    domisili["sla_working_days"] = 2
    domisili["requirements"] = domisili["requirements"][:2]

    result = catalog_load(services=data)

    assert (result.created, result.updated) == (0, 1)
    catalog = CatalogService.objects.get(code="domisili")
    assert catalog.sla_working_days == 2 and catalog.requirements.count() == 2
    with tenant_context(jetis):
        mine = service_get(slug="domisili")
        assert mine.sla_working_days == 1 and mine.requirements.count() == 4


def test_it_gives_every_kecamatan_all_twelve_services_enabled(db, jetis, mojosari):
    from tenants.models import Kecamatan

    for kecamatan in Kecamatan.objects.all():
        with tenant_context(kecamatan):
            assert service_list().count() == 12, kecamatan.name


def test_it_adds_a_later_catalog_service_disabled_to_a_running_kecamatan(db, mojosari):
    data = [*SERVICES, {**SERVICES[7], "code": "keterangan-usaha", "name": "Surat Keterangan Usaha", "order": 13}]
    catalog_load(services=data)

    assert kecamatan_services_init(kecamatan=mojosari) == 1
    assert kecamatan_services_init(kecamatan=mojosari) == 0
    with tenant_context(mojosari):
        added = KecamatanService.objects.get(catalog_code="keterangan-usaha")
        assert not added.enabled
        assert added.requirements.count() == CatalogService.objects.get(code="keterangan-usaha").requirements.count()


def test_it_records_each_override_as_an_event(db, mojosari):
    with tenant_context(mojosari):
        service = service_get(slug="izin-keramaian")
        kecamatan_service_update(
            service=service, actor="admin.mojosari", changes={"sla_working_days": 3, "fee_rupiah": 0}
        )
        kecamatan_service_set_enabled(service=service, enabled=False, actor="admin.mojosari")
        req = service.requirements.get(code="persetujuan-tetangga")
        service_requirement_update(requirement=req, actor="admin.mojosari", changes={"required": True})
        service_requirement_add(
            service=service, actor="admin.mojosari", code="izin-pemilik-lahan", name="Izin pemilik lahan"
        )

        service.refresh_from_db()
        assert service.sla_working_days == 3 and not service.enabled
        assert service.customized_fields == ["sla_working_days"]
        actions = list(ServiceChangeEvent.objects.filter(service=service).values_list("action", flat=True))
        assert actions[:4] == ["requirement_add", "requirement_update", "disable", "update"]
        assert service_list(enabled_only=False).filter(slug="izin-keramaian").exists()
        with pytest.raises(KecamatanService.DoesNotExist):
            service_get(slug="izin-keramaian")


def test_it_refuses_overrides_that_would_break_the_form(db, mojosari):
    with tenant_context(mojosari):
        service = service_get(slug="domisili")
        with pytest.raises(ValidationError, match="Jenis isian"):
            kecamatan_service_update(
                service=service,
                actor="admin",
                changes={"form_fields": [{"name": "x", "label": "X", "type": "file"}]},
            )
        with pytest.raises(ValidationError, match="hari kerja"):
            kecamatan_service_update(service=service, actor="admin", changes={"sla_working_days": 0})
        req = service.requirements.first()
        with pytest.raises(ValidationError, match="JPEG, PNG, PDF"):
            service_requirement_update(requirement=req, actor="admin", changes={"accepted_types": ["text/html"]})
        assert not ServiceChangeEvent.objects.filter(service=service).exclude(action="init").exists()


def test_it_finds_services_by_name_summary_and_alias(db, jetis):
    with tenant_context(jetis):
        assert [s.slug for s in service_list(query="domisili")][0] == "domisili"
        assert "waris" in [s.slug for s in service_list(query="WARIS")]
        assert "sktm" in [s.slug for s in service_list(query="surat miskin")]
        assert "rekomendasi-bbm" in [s.slug for s in service_list(query="solar")]
        assert not service_list(query="paspor").exists()
