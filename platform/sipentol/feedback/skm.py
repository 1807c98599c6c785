"""The SKM questionnaire and index of PermenPAN-RB No. 14 Tahun 2017 (Pedoman Penyusunan Survei
Kepuasan Masyarakat Unit Penyelenggara Pelayanan Publik).

Nine unsur (U1-U9), each answered on a 4-point scale whose wording is the regulation's sample
questionnaire. The index:

    NRR per unsur       = sum of the unsur's scores / number of respondents
    NRR tertimbang      = NRR x 0.111 (the regulation's rounded 1/9)
    IKM unit            = sum of the 9 NRR tertimbang      (1.00 - 4.00 scale)
    IKM (konversi)      = IKM unit x 25                    (25 - 100 scale)

Mutu pelayanan from the converted value: A 88.31-100 Sangat Baik, B 76.61-88.30 Baik,
C 65.00-76.60 Kurang Baik, D 25.00-64.99 Tidak Baik. We compute in exact decimals, round the
converted IKM once (2 decimals, half up, as published) and classify the rounded value, so
the gaps between the intervals (64.99/65.00, 76.60/76.61, 88.30/88.31) cannot be fallen into.
Because the weight is 0.111 and not 1/9, all answers 4 give 99.90, and all answers 3 give
74.925 -> 74.93 (C): that is the regulation's formula, kept as published.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext_lazy as _

WEIGHT = Decimal("0.111")
CONVERSION = Decimal(25)
TWO_PLACES = Decimal("0.01")


@dataclass(frozen=True)
class Unsur:
    field: str  # model field on SurveyResponse
    code: str  # U1..U9
    name: object  # lazy string
    question: object
    choices: tuple  # labels for scores 1, 2, 3, 4


UNSUR: tuple[Unsur, ...] = (
    Unsur(
        "u1_persyaratan",
        "U1",
        _("Persyaratan"),
        _("Bagaimana pendapat Saudara tentang kesesuaian persyaratan pelayanan dengan jenis pelayanannya?"),
        (_("Tidak sesuai"), _("Kurang sesuai"), _("Sesuai"), _("Sangat sesuai")),
    ),
    Unsur(
        "u2_prosedur",
        "U2",
        _("Sistem, mekanisme dan prosedur"),
        _("Bagaimana pemahaman Saudara tentang kemudahan prosedur pelayanan di unit ini?"),
        (_("Tidak mudah"), _("Kurang mudah"), _("Mudah"), _("Sangat mudah")),
    ),
    Unsur(
        "u3_waktu",
        "U3",
        _("Waktu penyelesaian"),
        _("Bagaimana pendapat Saudara tentang kecepatan waktu dalam memberikan pelayanan?"),
        (_("Tidak cepat"), _("Kurang cepat"), _("Cepat"), _("Sangat cepat")),
    ),
    Unsur(
        "u4_biaya",
        "U4",
        _("Biaya/tarif"),
        _("Bagaimana pendapat Saudara tentang kewajaran biaya/tarif dalam pelayanan?"),
        (_("Sangat mahal"), _("Cukup mahal"), _("Murah"), _("Gratis")),
    ),
    Unsur(
        "u5_produk",
        "U5",
        _("Produk spesifikasi jenis pelayanan"),
        _(
            "Bagaimana pendapat Saudara tentang kesesuaian produk pelayanan antara yang tercantum "
            "dalam standar pelayanan dengan hasil yang diberikan?"
        ),
        (_("Tidak sesuai"), _("Kurang sesuai"), _("Sesuai"), _("Sangat sesuai")),
    ),
    Unsur(
        "u6_kompetensi",
        "U6",
        _("Kompetensi pelaksana"),
        _("Bagaimana pendapat Saudara tentang kompetensi/kemampuan petugas dalam pelayanan?"),
        (_("Tidak kompeten"), _("Kurang kompeten"), _("Kompeten"), _("Sangat kompeten")),
    ),
    Unsur(
        "u7_perilaku",
        "U7",
        _("Perilaku pelaksana"),
        _("Bagaimana pendapat Saudara tentang perilaku petugas dalam pelayanan terkait kesopanan dan keramahan?"),
        (_("Tidak sopan dan ramah"), _("Kurang sopan dan ramah"), _("Sopan dan ramah"), _("Sangat sopan dan ramah")),
    ),
    Unsur(
        "u8_pengaduan",
        "U8",
        _("Penanganan pengaduan, saran dan masukan"),
        _("Bagaimana pendapat Saudara tentang penanganan pengaduan pengguna layanan?"),
        (
            _("Tidak ada"),
            _("Ada tetapi tidak berfungsi"),
            _("Berfungsi kurang maksimal"),
            _("Dikelola dengan baik"),
        ),
    ),
    Unsur(
        "u9_sarana",
        "U9",
        _("Sarana dan prasarana"),
        _("Bagaimana pendapat Saudara tentang kualitas sarana dan prasarana?"),
        (_("Buruk"), _("Cukup"), _("Baik"), _("Sangat baik")),
    ),
)
UNSUR_FIELDS = tuple(u.field for u in UNSUR)

MUTU_LABELS = {
    "A": _("Sangat Baik"),
    "B": _("Baik"),
    "C": _("Kurang Baik"),
    "D": _("Tidak Baik"),
}


def nrr(total: int, respondents: int) -> Decimal:
    """Nilai rata-rata of one unsur, exact."""
    return Decimal(total) / Decimal(respondents)


def ikm_from_nrr(nrrs: list[Decimal]) -> tuple[Decimal, Decimal]:
    """(IKM unit on the 1-4 scale, unrounded; converted IKM on the 25-100 scale, 2 decimals)."""
    unit = sum((value * WEIGHT for value in nrrs), Decimal(0))
    return unit, (unit * CONVERSION).quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def mutu(ikm: Decimal) -> str:
    """Mutu pelayanan (A-D) of a converted IKM rounded to 2 decimals."""
    if ikm >= Decimal("88.31"):
        return "A"
    if ikm >= Decimal("76.61"):
        return "B"
    if ikm >= Decimal("65.00"):
        return "C"
    return "D"
