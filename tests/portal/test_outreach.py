"""Guides and outreach made from a kecamatan's own configuration: the citizen guide page (Bahasa
Indonesia, English), the A4 poster whose QR code leads to the kecamatan's site, one leaflet per
service."""

from __future__ import annotations

import subprocess

from django.conf import settings
from django_tenants.utils import tenant_context

from services_catalog.configured.selectors import service_get, service_list
from services_catalog.configured.services import kecamatan_service_set_enabled
from sipentol.portal.selectors import services_most_used
from tenants.selectors import kecamatan_url
from tests.factories import ApplicationFactory


def _text(response) -> str:
    return " ".join(response.content.decode().split())


def _pdf_text(pdf: bytes) -> str:
    out = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True)
    return " ".join(out.stdout.decode().split())


def _pdf_pages(pdf: bytes) -> int:
    out = subprocess.run(["pdfinfo", "-"], input=pdf, capture_output=True, check=True, text=False)
    line = next(row for row in out.stdout.decode().splitlines() if row.startswith("Pages:"))
    return int(line.split()[1])


def test_it_shows_the_citizen_guide_with_each_enabled_services_own_steps(
    jetis, mojosari, jetis_client, mojosari_client
):
    # given Mojosari has closed one service Jetis keeps open
    with tenant_context(mojosari):
        kecamatan_service_set_enabled(service=service_get(slug="domisili"), enabled=False, actor="admin.mojosari")
    with tenant_context(jetis):
        sktm = service_get(slug="sktm")
        sktm_requirement = next(r.name for r in sktm.requirements.all() if r.required)
        enabled = [s.name for s in service_list()]

    # when citizens open the guide on each site
    jetis_page, mojosari_page = jetis_client.get("/panduan/"), mojosari_client.get("/panduan/")

    # then each lists its own services, each with its steps from its configuration
    assert jetis_page.status_code == 200
    text = _text(jetis_page)
    assert "Panduan warga: layanan Kecamatan Jetis secara online" in text
    assert all(name in text for name in enabled)
    sktm_section = text.split('id="layanan-sktm"', 1)[1].split("</article>", 1)[0]
    assert sktm_requirement in sktm_section
    assert f"paling lama {sktm.sla_working_days} hari kerja" in sktm_section
    assert 'href="/layanan/sktm/leaflet.pdf"' in sktm_section and 'href="/panduan/poster.pdf"' in text
    assert 'id="layanan-domisili"' in text and 'id="layanan-domisili"' not in _text(mojosari_page)
    assert 'href="/panduan/"' in _text(jetis_client.get("/"))


def test_it_shows_the_citizen_guide_in_english_to_a_visitor_who_chose_english(jetis, jetis_client):
    jetis_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    text = _text(jetis_client.get("/panduan/"))

    assert "Citizen guide: Kecamatan Jetis services online" in text
    assert "Steps for each service" in text
    assert "Langkah untuk setiap layanan" not in text


def test_it_makes_a_poster_whose_qr_code_decodes_to_the_kecamatans_site(jetis, jetis_client, tmp_path):
    # given Jetis's office profile and its applications (sktm most, then waris, then legalisir)
    with tenant_context(jetis):
        for slug, count in (("sktm", 3), ("waris", 2), ("legalisir", 1)):
            ApplicationFactory.create_batch(count, service=service_get(slug=slug))
        jetis.phone, jetis.office_hours = "(0321) 361234", "Senin-Jumat 07.30-15.30"
        jetis.save(update_fields=["phone", "office_hours"])

    # when the poster is downloaded
    response = jetis_client.get("/panduan/poster.pdf")

    # then its QR code leads to the kecamatan's site, and it names the three services and the office
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    pdf = response.content
    (tmp_path / "poster.pdf").write_bytes(pdf)
    subprocess.run(["pdftoppm", "-r", "150", "-png", str(tmp_path / "poster.pdf"), str(tmp_path / "page")], check=True)
    decoded = subprocess.run(
        ["zbarimg", "--quiet", "--raw", *map(str, sorted(tmp_path.glob("page*.png")))],
        capture_output=True,
        text=True,
    )
    assert decoded.stdout.split() == [kecamatan_url(jetis)]
    assert _pdf_pages(pdf) == 1
    text = _pdf_text(pdf)
    with tenant_context(jetis):
        names = [service_get(slug=s).name for s in ("sktm", "waris", "legalisir")]
    positions = [text.index(name) for name in names]
    assert positions == sorted(positions)
    assert "(0321) 361234" in text and "Senin-Jumat 07.30-15.30" in text
    assert kecamatan_url(jetis).split("://", 1)[1].rstrip("/") in text


def test_it_gives_a_new_kecamatan_without_applications_its_first_services_as_most_used(mojosari):
    with tenant_context(mojosari):
        assert [s.slug for s in services_most_used(limit=3)] == [s.slug for s in service_list()[:3]]


def test_it_makes_a_one_page_leaflet_for_each_service_and_none_for_a_closed_one(mojosari, mojosari_client):
    with tenant_context(mojosari):
        kecamatan_service_set_enabled(service=service_get(slug="domisili"), enabled=False, actor="admin.mojosari")
        service = service_get(slug="sktm")
        requirements = [r.name for r in service.requirements.all()]

    leaflet = mojosari_client.get("/layanan/sktm/leaflet.pdf")
    closed = mojosari_client.get("/layanan/domisili/leaflet.pdf")

    assert leaflet.status_code == 200 and _pdf_pages(leaflet.content) == 1
    # pdftotext breaks long names where the layout wrapped them: compare without spaces
    squeezed = _pdf_text(leaflet.content).replace(" ", "")
    assert all(name.replace(" ", "") in squeezed for name in [service.name, *requirements])
    assert "KantorKecamatanMojosari" in squeezed
    assert closed.status_code == 404
