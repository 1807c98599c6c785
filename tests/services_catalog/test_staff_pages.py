"""The admin kecamatan's service pages (/kantor/layanan/) through HTTP, on Jetis and Mojosari."""

from __future__ import annotations

import re
import uuid

import pytest
from django.db import connection
from django.test import Client
from django_tenants.utils import tenant_context

from services_catalog.configured.models import KecamatanService, ServiceChangeEvent
from sipentol.accounts.models import Role
from sipentol.applications.models import Application
from tests.accounts.staff import staff_client
from tests.applications.conftest import apply_payload


@pytest.fixture
def jetis_admin(jetis) -> Client:
    return staff_client(jetis, "admin.jetis", Role.ADMIN)


def _service(kecamatan, slug: str = "domisili") -> KecamatanService:
    with tenant_context(kecamatan):
        service = KecamatanService.objects.prefetch_related("requirements").get(slug=slug)
        service.requirement_list = list(service.requirements.all())
    connection.set_schema_to_public()
    return service


def _events(kecamatan, slug: str = "domisili") -> list[str]:
    with tenant_context(kecamatan):
        actions = list(ServiceChangeEvent.objects.filter(service__slug=slug).values_list("action", flat=True))
    connection.set_schema_to_public()
    return actions


def _standard_payload(service: KecamatanService, **overrides) -> dict:
    """What the service page's main form sends back unchanged, with `overrides` typed in."""
    return {
        "sla_working_days": service.sla_working_days,
        "fee_rupiah": service.fee_rupiah,
        "summary": service.summary,
        "procedure": "\n".join(service.procedure),
        "product": service.product,
        "complaint_handling": service.complaint_handling,
        "legal_basis": service.legal_basis,
        "letter_classification": service.letter_classification,
        **overrides,
    }


def _text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def test_it_lists_the_services_with_state_sla_fee_and_application_count(jetis, jetis_client, jetis_admin):
    domisili = _service(jetis)
    response = jetis_client.post(f"/layanan/{domisili.slug}/ajukan/", apply_payload(domisili, str(uuid.uuid4())))
    assert response.status_code == 302

    page = _text(jetis_admin.get("/kantor/layanan/"))

    assert 'href="/kantor/layanan/"' in page  # the admin's menu has "Layanan"
    row = re.search(r'<tr id="layanan-domisili">(.*?)</tr>', page).group(1)
    assert domisili.name in row and "Aktif" in row
    assert f"{domisili.sla_working_days} hari kerja" in row and "Gratis (Rp 0)" in row
    assert row.rstrip().endswith("<td>1</td>")
    assert page.count('<tr id="layanan-') == 12


def test_it_hides_a_disabled_service_from_jetis_portal_but_not_mojosari(
    jetis, jetis_admin, jetis_client, mojosari_client
):
    response = jetis_admin.post("/kantor/layanan/domisili/aktif/", {"enabled": "0"})

    assert response.status_code == 302
    assert "tidak tampil lagi di portal" in _text(jetis_admin.get(response["Location"]))
    assert jetis_client.get("/layanan/domisili/").status_code == 404
    assert jetis_client.get("/layanan/domisili/ajukan/").status_code == 404
    assert 'href="/layanan/domisili/"' not in jetis_client.get("/layanan/").content.decode()
    assert mojosari_client.get("/layanan/domisili/").status_code == 200
    assert 'href="/layanan/domisili/"' in mojosari_client.get("/layanan/").content.decode()
    assert "Nonaktif" in _text(jetis_admin.get("/kantor/layanan/"))

    jetis_admin.post("/kantor/layanan/domisili/aktif/", {"enabled": "1"})
    assert jetis_client.get("/layanan/domisili/").status_code == 200
    history = _text(jetis_admin.get("/kantor/layanan/domisili/riwayat/"))
    assert history.index("Diaktifkan") < history.index("Dinonaktifkan") < history.index("Disalin dari katalog")


def test_it_shows_a_changed_sla_and_fee_on_the_public_service_page(jetis, jetis_admin, jetis_client):
    service = _service(jetis)
    payload = _standard_payload(
        service, sla_working_days="5", fee_rupiah="Rp 10.000", procedure="Isi formulir\n\nAmbil surat di kantor"
    )

    response = jetis_admin.post("/kantor/layanan/domisili/", payload)

    assert response.status_code == 302
    page = _text(jetis_client.get("/layanan/domisili/"))
    assert re.search(r'id="jangka-waktu">5 hari kerja', page)
    assert 'id="biaya">Rp 10.000' in page
    assert "Ambil surat di kantor" in page
    history = _text(jetis_admin.get("/kantor/layanan/domisili/riwayat/"))
    assert "Standar pelayanan diubah" in history and "oleh admin.jetis" in history
    assert f"<del>{service.sla_working_days}</del> → <ins>5</ins>" in history
    assert _service(jetis).procedure == ["Isi formulir", "Ambil surat di kantor"]


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"sla_working_days": "0"}, "Jangka waktu harus antara 1 dan 60 hari kerja."),
        ({"sla_working_days": "400"}, "Jangka waktu harus antara 1 dan 60 hari kerja."),
        ({"sla_working_days": "tiga"}, "Tulis jangka waktu sebagai angka hari kerja"),
        ({"fee_rupiah": "-5000"}, "Biaya tidak boleh negatif. Isi 0 untuk layanan gratis."),
        ({"fee_rupiah": "gratis"}, "Tulis biaya sebagai angka rupiah"),
    ],
)
def test_it_changes_nothing_on_an_invalid_sla_or_fee_and_says_why(jetis, jetis_admin, jetis_client, overrides, message):
    before = _service(jetis)

    response = jetis_admin.post("/kantor/layanan/domisili/", _standard_payload(before, **overrides))

    assert response.status_code == 400
    assert message in _text(response)
    after = _service(jetis)
    assert (after.sla_working_days, after.fee_rupiah) == (before.sla_working_days, before.fee_rupiah)
    assert _events(jetis) == ["init"]
    assert f'id="jangka-waktu">{before.sla_working_days} hari kerja' in _text(jetis_client.get("/layanan/domisili/"))


def test_it_puts_an_added_requirement_on_the_apply_form_as_required(jetis, jetis_admin, jetis_client):
    service = _service(jetis)
    old_payload = apply_payload(service, str(uuid.uuid4()))  # every file the service asked for until now

    response = jetis_admin.post(
        "/kantor/layanan/domisili/persyaratan/tambah/",
        {
            "req-name": "Surat keterangan ketua RT",
            "req-explanation": "Ditandatangani ketua RT tempat tinggal.",
            "req-required": "on",
            "req-accepted_types": ["application/pdf"],
            "req-max_image_mb": "5",
            "req-max_pdf_mb": "4",
        },
    )

    assert response.status_code == 302
    assert "Surat keterangan ketua RT" in _text(jetis_client.get("/layanan/domisili/"))
    form_page = _text(jetis_client.get("/layanan/domisili/ajukan/"))
    assert "Surat keterangan ketua RT" in form_page
    assert re.search(r'<input[^>]*name="doc_surat-keterangan-ketua-rt"[^>]*required', form_page)
    refused = jetis_client.post("/layanan/domisili/ajukan/", old_payload)
    assert refused.status_code == 400
    with tenant_context(jetis):
        assert not Application.objects.filter(idempotency_key=old_payload["idempotency_key"]).exists()


def test_it_edits_and_removes_a_requirement(jetis, jetis_admin, jetis_client):
    service = _service(jetis)
    requirement = service.requirement_list[0]
    url = f"/kantor/layanan/domisili/persyaratan/{requirement.pk}/"
    assert requirement.name in _text(jetis_admin.get(url))

    response = jetis_admin.post(
        url,
        {
            "req-name": "KTP-el asli pemohon",
            "req-explanation": "",
            "req-accepted_types": ["image/jpeg", "image/png"],
            "req-max_image_mb": "3",
            "req-max_pdf_mb": "10",
        },
    )

    assert response.status_code == 302
    page = _text(jetis_client.get("/layanan/domisili/"))
    assert "KTP-el asli pemohon" in page and "foto maks. 3 MB" in page
    form_page = _text(jetis_client.get("/layanan/domisili/ajukan/"))
    field = re.search(rf'<input[^>]*name="doc_{requirement.code}"[^>]*>', form_page).group(0)
    assert "required" not in field and 'accept="image/jpeg,image/png"' in field

    assert jetis_admin.post(f"{url}hapus/").status_code == 302
    assert "KTP-el asli pemohon" not in _text(jetis_client.get("/layanan/domisili/ajukan/"))
    assert _events(jetis)[:2] == ["requirement_remove", "requirement_update"]


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"req-name": "   "}, "Nama persyaratan tidak boleh kosong."),
        (
            {"req-name": "Foto rumah", "req-accepted_types": []},
            "Jenis berkas yang boleh: JPEG, PNG, PDF. Pilih minimal satu.",
        ),
        ({"req-name": "Foto rumah", "req-max_image_mb": "50"}, "Ukuran maksimal harus antara 1 dan 5 MB."),
    ],
)
def test_it_changes_nothing_on_an_invalid_requirement_and_says_why(jetis, jetis_admin, values, message):
    count = len(_service(jetis).requirement_list)
    payload = {"req-accepted_types": ["image/jpeg"], "req-max_image_mb": "5", "req-max_pdf_mb": "10", **values}

    response = jetis_admin.post("/kantor/layanan/domisili/persyaratan/tambah/", payload)

    assert response.status_code == 400
    assert message in _text(response)
    assert len(_service(jetis).requirement_list) == count
    assert _events(jetis) == ["init"]


def test_it_adds_edits_and_removes_a_form_field(jetis, jetis_admin, jetis_client):
    response = jetis_admin.post(
        "/kantor/layanan/domisili/isian/tambah/",
        {
            "field-label": "Status tempat tinggal",
            "field-type": "choice",
            "field-required": "on",
            "field-help": "Pilih yang sesuai.",
            "field-choices": "Milik sendiri\nSewa/kontrak\n\nIkut keluarga",
        },
    )

    assert response.status_code == 302
    form_page = _text(jetis_client.get("/layanan/domisili/ajukan/"))
    assert "Status tempat tinggal" in form_page and "Sewa/kontrak" in form_page
    assert re.search(r'<select[^>]*name="status_tempat_tinggal"[^>]*required', form_page)

    response = jetis_admin.post(
        "/kantor/layanan/domisili/isian/status_tempat_tinggal/",
        {"field-label": "Status rumah", "field-type": "choice", "field-choices": "Milik sendiri\nSewa"},
    )
    assert response.status_code == 302
    form_page = _text(jetis_client.get("/layanan/domisili/ajukan/"))
    assert "Status rumah" in form_page
    assert not re.search(r'<select[^>]*name="status_tempat_tinggal"[^>]*required', form_page)

    assert jetis_admin.post("/kantor/layanan/domisili/isian/status_tempat_tinggal/hapus/").status_code == 302
    assert "Status rumah" not in _text(jetis_client.get("/layanan/domisili/ajukan/"))
    assert _events(jetis)[:3] == ["field_remove", "field_update", "field_add"]


def test_it_refuses_a_choice_field_without_choices(jetis, jetis_admin):
    response = jetis_admin.post(
        "/kantor/layanan/domisili/isian/tambah/", {"field-label": "Status", "field-type": "choice"}
    )

    assert response.status_code == 400
    assert "belum punya pilihan" in _text(response)
    assert _events(jetis) == ["init"]


@pytest.mark.parametrize("name", ["nama", "nik", "telepon", "desa"])
def test_it_refuses_to_remove_a_standard_applicant_field(jetis, jetis_admin, jetis_client, name):
    page = _text(jetis_admin.get("/kantor/layanan/domisili/"))
    assert f'action="/kantor/layanan/domisili/isian/{name}/hapus/"' not in page  # no button offered

    response = jetis_admin.post(f"/kantor/layanan/domisili/isian/{name}/hapus/")

    assert response.status_code == 400
    assert "tidak dapat dihapus karena permohonan dan surat memakainya" in _text(response)
    assert name in [f["name"] for f in _service(jetis).form_fields]
    assert _events(jetis) == ["init"]
    assert f'name="{name}"' in jetis_client.get("/layanan/domisili/ajukan/").content.decode()


def test_it_lets_a_standard_field_be_relabelled_but_not_retyped_or_made_optional(jetis, jetis_admin):
    url = "/kantor/layanan/domisili/isian/nik/"

    retyped = jetis_admin.post(url, {"field-label": "NIK", "field-type": "text", "field-required": "on"})
    optional = jetis_admin.post(url, {"field-label": "NIK", "field-type": "nik"})

    assert retyped.status_code == 400 and "tidak dapat diubah" in _text(retyped)
    assert optional.status_code == 400 and "harus tetap wajib diisi" in _text(optional)
    relabelled = jetis_admin.post(url, {"field-label": "NIK (KTP-el)", "field-type": "nik", "field-required": "on"})
    assert relabelled.status_code == 302
    nik = next(f for f in _service(jetis).form_fields if f["name"] == "nik")
    assert (nik["label"], nik["type"], nik["required"]) == ("NIK (KTP-el)", "nik", True)


def test_it_refuses_a_verifier_and_lets_the_camat_only_look(jetis, jetis_client):
    verifier = staff_client(jetis, "verif.layanan", Role.VERIFIER)
    camat = staff_client(jetis, "camat.layanan", Role.CAMAT)
    requirement = _service(jetis).requirement_list[0]

    assert 'href="/kantor/layanan/"' not in verifier.get("/kantor/").content.decode()
    for url in ("/kantor/layanan/", "/kantor/layanan/domisili/", "/kantor/layanan/domisili/riwayat/"):
        assert verifier.get(url).status_code == 403
    assert verifier.post("/kantor/layanan/domisili/aktif/", {"enabled": "0"}).status_code == 403

    page = camat.get("/kantor/layanan/domisili/")
    assert page.status_code == 200
    assert "<fieldset disabled>" in page.content.decode() and "/aktif/" not in page.content.decode()
    assert camat.get(f"/kantor/layanan/domisili/persyaratan/{requirement.pk}/").status_code == 200
    assert camat.post("/kantor/layanan/domisili/aktif/", {"enabled": "0"}).status_code == 403
    assert (
        camat.post("/kantor/layanan/domisili/", _standard_payload(_service(jetis), fee_rupiah="5000")).status_code
        == 403
    )
    assert camat.post("/kantor/layanan/domisili/isian/email/hapus/").status_code == 403
    assert jetis_client.get("/layanan/domisili/").status_code == 200
    assert _events(jetis) == ["init"]


def test_it_sends_mojosari_admin_to_the_login_page_on_jetis(jetis, mojosari):
    mojosari_admin = staff_client(mojosari, "admin.mojosari", Role.ADMIN)
    assert mojosari_admin.get("/kantor/layanan/domisili/").status_code == 200

    # the same browser (its cookies) on Jetis's host: that user does not exist in Jetis's schema
    on_jetis = mojosari_admin.get("/kantor/layanan/domisili/", HTTP_HOST="jetis.localhost")
    post = mojosari_admin.post("/kantor/layanan/domisili/aktif/", {"enabled": "0"}, HTTP_HOST="jetis.localhost")

    assert on_jetis.status_code == 302 and on_jetis["Location"].startswith("/kantor/masuk/")
    assert post.status_code in (302, 403)
    assert _service(jetis).enabled
    assert _events(jetis) == ["init"]


def test_it_answers_404_for_a_service_the_kecamatan_does_not_have(jetis_admin):
    assert jetis_admin.get("/kantor/layanan/paspor/").status_code == 404
    assert jetis_admin.get("/kantor/layanan/domisili/isian/tidak_ada/").status_code == 404


def test_it_carries_no_inline_script_or_style(jetis_admin):
    for url in ("/kantor/layanan/", "/kantor/layanan/domisili/", "/kantor/layanan/domisili/riwayat/"):
        page = jetis_admin.get(url).content.decode()
        assert "<script" not in page and "<style" not in page and " style=" not in page
