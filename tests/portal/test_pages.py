"""The citizen portal through HTTP, on two kecamatan."""

from __future__ import annotations

import re

import pytest
from django_tenants.utils import tenant_context

from services_catalog.configured.selectors import service_get
from services_catalog.configured.services import kecamatan_service_set_enabled, kecamatan_service_update

SLUGS = [
    "waris",
    "pindah-keluar",
    "pindah-datang",
    "dispensasi-nikah",
    "pengantar-skck",
    "sktm",
    "jampersal",
    "domisili",
    "izin-keramaian",
    "rekomendasi-bbm",
    "legalisir",
    "izin-penggunaan-jalan",
]
COMPONENTS = [
    "Persyaratan",
    "Prosedur",
    "Jangka waktu",
    "Biaya",
    "Produk layanan",
    "Penanganan pengaduan",
    "Dasar hukum",
    "Cara mengajukan",
]


def _html(response) -> str:
    return response.content.decode()


def test_it_lists_all_twelve_services_on_the_jetis_home_page(jetis_client):
    response = jetis_client.get("/")

    assert response.status_code == 200
    html = _html(response)
    for slug in SLUGS:
        assert f'href="/layanan/{slug}/"' in html
    assert "Surat Keterangan Waris" in html and "Izin Penggunaan Jalan untuk Kegiatan Selain Lalu Lintas" in html
    assert 'action="/layanan/" method="get"' in html


def test_it_lists_all_twelve_on_the_service_list_page(jetis_client):
    html = _html(jetis_client.get("/layanan/"))

    assert sum(f'href="/layanan/{slug}/"' in html for slug in SLUGS) == 12


@pytest.mark.parametrize("slug", SLUGS)
def test_it_shows_every_standard_component_on_each_service_page(jetis_client, jetis, slug):
    response = jetis_client.get(f"/layanan/{slug}/")

    assert response.status_code == 200
    html = _html(response)
    for heading in COMPONENTS:
        assert heading in html, heading
    with tenant_context(jetis):
        service = service_get(slug=slug)
        requirement_names = list(service.requirements.values_list("name", flat=True))
    for name in requirement_names:
        assert name.replace("'", "&#x27;") in html
    assert "hari kerja" in html and "Gratis (Rp 0)" in html
    assert "Undang-Undang Nomor 25 Tahun 2009 tentang Pelayanan Publik" in html
    assert "LAPOR" in html
    assert f'href="/layanan/{slug}/ajukan/"' in html and "Ajukan permohonan" in html
    guide = re.search(r'id="cara-mengajukan".*?<ol class="steps">(.*?)</ol>', html, re.S).group(1)
    assert guide.count("<li>") >= 5


@pytest.mark.parametrize("query,expected", [("domisili", "Surat Keterangan Domisili"), ("Waris", "Waris")])
def test_it_finds_services_by_search(jetis_client, query, expected):
    response = jetis_client.get("/layanan/", {"q": query})

    html = _html(response)
    assert response.status_code == 200
    assert expected in html
    assert "Izin Keramaian" not in html


def test_it_finds_by_lower_case_alias_and_says_when_nothing_matches(jetis_client):
    assert "Surat Keterangan Tidak Mampu" in _html(jetis_client.get("/layanan/", {"q": "surat miskin"}))

    html = _html(jetis_client.get("/layanan/", {"q": "paspor"}))
    assert "Tidak ada layanan yang cocok dengan “paspor”" in html
    assert "Lihat semua layanan" in html


def test_it_disables_a_service_in_mojosari_only(jetis_client, mojosari_client, mojosari):
    # given
    with tenant_context(mojosari):
        kecamatan_service_set_enabled(service=service_get(slug="domisili"), enabled=False, actor="admin.mojosari")

    # then: Mojosari neither lists nor serves it, with a friendly 404
    assert 'href="/layanan/domisili/"' not in _html(mojosari_client.get("/"))
    response = mojosari_client.get("/layanan/domisili/")
    assert response.status_code == 404
    assert "Layanan tidak ditemukan" in _html(response)
    assert 'href="/layanan/waris/"' in _html(response)
    assert "Surat Keterangan Domisili" not in _html(mojosari_client.get("/layanan/", {"q": "domisili"}))
    # and Jetis keeps it
    assert 'href="/layanan/domisili/"' in _html(jetis_client.get("/"))
    assert jetis_client.get("/layanan/domisili/").status_code == 200


def test_it_returns_a_friendly_404_for_an_unknown_service(jetis_client):
    response = jetis_client.get("/layanan/tidak-ada/")

    assert response.status_code == 404
    assert "Layanan tidak ditemukan" in _html(response)


def test_it_shows_an_sla_and_fee_override_on_that_kecamatan_only(jetis_client, mojosari_client, mojosari):
    with tenant_context(mojosari):
        kecamatan_service_update(
            service=service_get(slug="izin-keramaian"),
            actor="admin.mojosari",
            changes={"sla_working_days": 4, "fee_rupiah": 15000},
        )

    mojosari_html = _html(mojosari_client.get("/layanan/izin-keramaian/"))
    jetis_html = _html(jetis_client.get("/layanan/izin-keramaian/"))

    assert "4 hari kerja" in mojosari_html and "Rp 15.000" in mojosari_html
    assert "2 hari kerja" in jetis_html and "Rp 15.000" not in jetis_html and "Gratis (Rp 0)" in jetis_html


def test_it_shows_contact_details_with_a_whatsapp_link(jetis_client, jetis):
    jetis.address = "Jl. Raya Jetis No. 1, Jetis, Mojokerto"
    jetis.office_hours = "Senin–Kamis 07.30–15.30, Jumat 07.30–14.00"
    jetis.phone = "(0321) 123456"
    jetis.whatsapp = "0812-3456-7890"
    jetis.email = "kec.jetis@mojokertokab.go.id"
    jetis.save()

    html = _html(jetis_client.get("/kontak/"))

    assert "Jl. Raya Jetis No. 1" in html and "Senin–Kamis 07.30–15.30" in html
    assert 'href="https://wa.me/6281234567890"' in html
    assert 'href="mailto:kec.jetis@mojokertokab.go.id"' in html
    assert "<iframe" not in html


def test_it_answers_the_questions_citizens_ask(jetis_client):
    html = _html(jetis_client.get("/tanya-jawab/"))

    for question in [
        "Apakah saya harus datang ke kantor kecamatan?",
        "Berapa lama permohonan saya selesai?",
        "Berapa biayanya?",
        "Bagaimana cara mengetahui perkembangan permohonan saya?",
        "Siapa yang boleh mengajukan untuk saya?",
    ]:
        assert question in html


def test_it_hides_the_apply_button_while_a_kecamatan_is_onboarding(db):
    from django.test import Client

    client = Client(HTTP_HOST="trowulan.localhost")
    html = _html(client.get("/layanan/waris/"))

    assert "sedang disiapkan" in html
    assert "Ajukan permohonan</a>" not in html


@pytest.mark.parametrize("path", ["/", "/layanan/", "/layanan/waris/", "/kontak/", "/tanya-jawab/", "/layanan/x/"])
def test_it_references_no_external_host_and_no_inline_script_or_style(jetis_client, jetis, path):
    jetis.whatsapp = "+62 812 3456 7890"
    jetis.save()

    html = _html(jetis_client.get(path))

    for attr, url in re.findall(r'\b(src|href|action)="([^"]*)"', html):
        if url.startswith(("/", "#", "tel:", "mailto:")):
            continue
        assert attr == "href" and url.startswith("https://wa.me/"), (attr, url)
    assert "<script" not in html
    assert " style=" not in html and "<style" not in html
    assert re.search(r"\son[a-z]+=", html) is None
    assert "@import" not in html and "<iframe" not in html


def test_it_offers_the_pages_in_bahasa_indonesia_by_default(jetis_client):
    html = _html(jetis_client.get("/"))

    assert '<html lang="id">' in html
    assert "Cari layanan" in html


@pytest.mark.parametrize("path", ["/", "/layanan/", "/layanan/?q=surat", "/layanan/waris/", "/tanya-jawab/"])
def test_it_renders_each_page_with_a_few_queries(jetis_client, django_assert_max_num_queries, path):
    jetis_client.get(path)  # warm the routing cache

    with django_assert_max_num_queries(6):
        assert jetis_client.get(path).status_code == 200
