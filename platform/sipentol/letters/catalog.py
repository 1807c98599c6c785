"""The default letter of each catalog service: slug -> the letter's title (its heading).

Slugs match services_catalog.configured KecamatanService.slug; each has its body in
templates_default/<slug>.html. The classification code that starts a letter's number is not
here: it is a fact of the service, kept by the catalog and each kecamatan's copy
(KecamatanService.letter_classification, edited on the service's configuration page).
"""

from __future__ import annotations

from pathlib import Path

DEFAULT_LETTERS: dict[str, str] = {
    "waris": "Surat Keterangan Waris",
    "pindah-keluar": "Surat Keterangan Pindah Keluar",
    "pindah-datang": "Surat Keterangan Pindah Datang",
    "dispensasi-nikah": "Surat Dispensasi Nikah",
    "pengantar-skck": "Surat Pengantar SKCK",
    "sktm": "Surat Keterangan Tidak Mampu",
    "jampersal": "Surat Keterangan Jaminan Persalinan (Jampersal)",
    "domisili": "Surat Keterangan Domisili",
    "izin-keramaian": "Surat Izin Keramaian",
    "rekomendasi-bbm": "Surat Rekomendasi Pembelian BBM",
    "legalisir": "Surat Keterangan Legalisasi",
    "izin-penggunaan-jalan": "Surat Izin Penggunaan Jalan",
}

_DEFAULTS_DIR = Path(__file__).resolve().parent / "templates_default"


def default_template_source(slug: str) -> tuple[str, str]:
    """(html, css) of a default letter as shipped in templates_default/."""
    return (_DEFAULTS_DIR / f"{slug}.html").read_text(), (_DEFAULTS_DIR / "letter.css").read_text()
