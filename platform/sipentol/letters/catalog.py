"""The 12 Jetis services that end in a letter: slug -> (title, default classification code).

Slugs match services_catalog.configured KecamatanService.slug; classification codes follow
the archive classification (Permendagri 78/2012) and are editable per kecamatan.
"""

from __future__ import annotations

from pathlib import Path

DEFAULT_LETTERS: dict[str, tuple[str, str]] = {
    "waris": ("Surat Keterangan Waris", "474.3"),
    "pindah-keluar": ("Surat Keterangan Pindah Keluar", "475"),
    "pindah-datang": ("Surat Keterangan Pindah Datang", "475"),
    "dispensasi-nikah": ("Surat Dispensasi Nikah", "474.2"),
    "pengantar-skck": ("Surat Pengantar SKCK", "331"),
    "sktm": ("Surat Keterangan Tidak Mampu", "401"),
    "jampersal": ("Surat Keterangan Jaminan Persalinan (Jampersal)", "440"),
    "domisili": ("Surat Keterangan Domisili", "470"),
    "izin-keramaian": ("Surat Izin Keramaian", "300"),
    "rekomendasi-bbm": ("Surat Rekomendasi Pembelian BBM", "541"),
    "legalisir": ("Surat Keterangan Legalisasi", "045"),
    "izin-penggunaan-jalan": ("Surat Izin Penggunaan Jalan", "620"),
}

_DEFAULTS_DIR = Path(__file__).resolve().parent / "templates_default"


def default_template_source(slug: str) -> tuple[str, str]:
    """(html, css) of a default letter as shipped in templates_default/."""
    return (_DEFAULTS_DIR / f"{slug}.html").read_text(), (_DEFAULTS_DIR / "letter.css").read_text()
