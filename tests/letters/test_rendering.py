"""Letter PDFs: all 12 services, long values over two pages, sandboxing, no remote fetches, QR."""

from __future__ import annotations

import http.server
import subprocess
import threading

import pytest
from django_tenants.utils import tenant_context

from sipentol.letters.catalog import DEFAULT_LETTERS

from .conftest import LONG_ALAMAT, draft_and_sign, pdf_pages, pdf_text, signed_pdf, sktm_data

AHLI_WARIS = [
    {"nama": n, "nik": f"35161601{i:02d}900{i:03d}", "hubungan": h}
    for i, (n, h) in enumerate(
        [
            ("Sulastri binti Kasiman", "Istri"),
            ("Muhammad Rizky Ramadhan", "Anak kandung"),
            ("Nur Aini Fitriyah", "Anak kandung"),
            ("Ahmad Fauzan Hidayatullah", "Anak kandung"),
            ("Dewi Kartika Sari", "Anak kandung"),
            ("Bagus Setiawan Wicaksono", "Anak kandung"),
        ]
        * 4,
        start=1,
    )
]


def service_data(slug: str) -> dict:
    base = sktm_data(
        keperluan="melengkapi persyaratan administrasi " * 6,
        alamat_tujuan="Jalan Kertajaya Indah Timur IX Nomor 45, Kelurahan Manyar Sabrangan, Kota Surabaya",
        alasan_pindah="Pekerjaan",
        nomor_kk="3516161203080004",
        pengikut=[{"nama": a["nama"], "nik": a["nik"], "shdk": a["hubungan"]} for a in AHLI_WARIS[:5]],
        nama_pewaris="Kasiman bin Sastro Wiyono",
        nik_pewaris="3516160707500001",
        tanggal_meninggal="3 Januari 2026",
        tempat_meninggal="RSUD Prof. dr. Soekandar Mojosari",
        alamat_pewaris=LONG_ALAMAT,
        ahli_waris=AHLI_WARIS,
        daftar_ahli_waris="\n".join(f"{a['nama']}, {a['nik']}, {a['hubungan']}" for a in AHLI_WARIS),
        tanggal_pernyataan="20 Januari 2026",
        calon_suami="Yoga Pratama Putra",
        nik_calon_suami="3516161010000003",
        calon_istri="Anisa Rahmawati",
        nik_calon_istri="3516164505010002",
        tanggal_akad="14 Februari 2026",
        tempat_akad="Masjid Baiturrahman Desa Mojorejo",
        alasan="calon suami bertugas ke luar negeri",
        kegiatan="Resepsi pernikahan",
        hiburan="Orkes melayu",
        waktu="Sabtu, 21 Februari 2026 pukul 08.00-22.00 WIB",
        tempat=LONG_ALAMAT,
        jumlah_undangan=500,
        jenis_usaha="Petani padi",
        alat="Traktor tangan",
        jumlah_alat=2,
        jenis_bbm="Solar",
        volume=120,
        spbu="SPBU 54.613.08 Jetis",
        berlaku_sampai="31 Desember 2026",
        dokumen=[{"jenis": "Kartu Keluarga", "nomor": "3516161203080004", "lembar": 3}],
        ruas_jalan="Jalan Desa Mojorejo RT 03 sepanjang 100 meter",
        jalan_alternatif="Jalan Dusun Kedungsari",
        nomor_skpwni="SKPWNI/3578/12012026/0042",
        alamat_asal="Kota Surabaya",
        usia_kehamilan="7 bulan",
        nama_suami="Yoga Pratama Putra",
        faskes="Puskesmas Jetis",
        alamat_domisili=LONG_ALAMAT,
        sejak="2015",
        tanggal_permohonan="2 Februari 2026",
    )
    return base


@pytest.mark.parametrize("slug", sorted(DEFAULT_LETTERS))
def test_it_issues_a_signed_letter_for_every_service(letters_env, slug):
    with tenant_context(letters_env.kecamatan):
        letter = draft_and_sign(letters_env, service=slug, data=service_data(slug), holder="Ahmad Fauzi Rahman")
        text = pdf_text(signed_pdf(letter))
    assert "PEMERINTAH KABUPATEN MOJOKERTO" in text and "KECAMATAN JETIS" in text
    assert letter.number in text
    assert DEFAULT_LETTERS[slug].upper().split(" (")[0] in text.upper()
    assert "Drs. Bambang Wahyudi, M.Si." in text and "196805121993031007" in text


def test_it_spreads_a_long_letter_over_two_pages(letters_env):
    with tenant_context(letters_env.kecamatan):
        data = service_data("waris")
        letter = draft_and_sign(letters_env, service="waris", data=data)
        pdf = signed_pdf(letter)
    assert pdf_pages(pdf) >= 2
    text = pdf_text(pdf)
    assert "Bagus Setiawan Wicaksono" in text and "Halaman 2" in text


def test_it_shows_script_and_template_code_in_fields_as_plain_text(letters_env):
    hostile = {
        "keperluan": "{{ 7*7 }} {% load static %} {% include 'base.html' %} <script>alert(1)</script>",
        "desa": "{{ settings.SECRET_KEY }}<b>tebal</b>",
    }
    with tenant_context(letters_env.kecamatan):
        letter = draft_and_sign(letters_env, data=sktm_data(**hostile))
        text = " ".join(pdf_text(signed_pdf(letter)).split())
    assert "{{ 7*7 }}" in text and "{% load static %}" in text and "{% include 'base.html' %}" in text
    assert "<script>alert(1)</script>" in text
    assert "{{ settings.SECRET_KEY }}<b>tebal</b>" in text
    assert " 49 " not in text


@pytest.mark.parametrize(
    "tag", ["{% load static %}", "{% include 'base.html' %}", "{% debug %}", "{% autoescape off %}x{% endautoescape %}"]
)
def test_it_rejects_a_template_using_forbidden_tags(letters_env, tag):
    from sipentol.docengine.render import TemplateRejected
    from sipentol.letters.models import LetterTemplate
    from sipentol.letters.services import letter_template_update

    with tenant_context(letters_env.kecamatan):
        template = LetterTemplate.objects.get(service_slug="sktm")
        with pytest.raises(TemplateRejected, match="tidak diizinkan"):
            letter_template_update(template=template, html=f"<p>{tag}</p>", css="", actor=letters_env.admin)


def test_it_fetches_nothing_remote_while_rendering(letters_env):
    from sipentol.letters.services import letter_template_preview

    hits: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            hits.append(self.path)
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_port}"
    try:
        with tenant_context(letters_env.kecamatan):
            pdf = letter_template_preview(
                f'<p>Isi</p><img src="{url}/img.png"><img src="file:///etc/passwd">',
                f'@import url("{url}/a.css"); body {{ background: url("{url}/bg.png"); }}',
                {"holder_name": "Siti Aminah"},
            )
    finally:
        server.shutdown()
    assert pdf.startswith(b"%PDF") and hits == []


def test_it_prints_a_qr_code_leading_to_the_verification_page(letters_env, tmp_path):
    with tenant_context(letters_env.kecamatan):
        letter = draft_and_sign(letters_env)
        (tmp_path / "s.pdf").write_bytes(signed_pdf(letter))
    subprocess.run(["pdftoppm", "-r", "200", "-png", str(tmp_path / "s.pdf"), str(tmp_path / "p")], check=True)
    pages = sorted(tmp_path.glob("p*.png"))
    out = subprocess.run(["zbarimg", "-q", "--raw", *map(str, pages)], capture_output=True, text=True)
    assert f"jetis.localhost:8000/verifikasi/{letter.uuid}/" in out.stdout
