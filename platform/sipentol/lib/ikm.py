"""The IKM (Indeks Kepuasan Masyarakat) arithmetic of PermenPAN-RB No. 14 Tahun 2017: one home.

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

The questionnaire itself (the nine unsur and their wording) is `sipentol.feedback.skm`; the
regency dashboard, which never imports feedback, uses `ikm_from_average_total` here.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

WEIGHT = Decimal("0.111")
CONVERSION = Decimal(25)
TWO_PLACES = Decimal("0.01")


def nrr(total: int, respondents: int) -> Decimal:
    """Nilai rata-rata of one unsur, exact."""
    return Decimal(total) / Decimal(respondents)


def ikm_from_nrr(nrrs: list[Decimal]) -> tuple[Decimal, Decimal]:
    """(IKM unit on the 1-4 scale, unrounded; converted IKM on the 25-100 scale, 2 decimals)."""
    unit = sum((value * WEIGHT for value in nrrs), Decimal(0))
    return unit, (unit * CONVERSION).quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def ikm_from_average_total(average_total) -> Decimal:
    """Converted IKM from the average of the respondents' totals over the 9 unsur: with equal
    weights the IKM is linear in it (sum of NRR = average total)."""
    return (Decimal(str(average_total)) * WEIGHT * CONVERSION).quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def mutu(ikm: Decimal) -> str:
    """Mutu pelayanan (A-D) of a converted IKM rounded to 2 decimals."""
    if ikm >= Decimal("88.31"):
        return "A"
    if ikm >= Decimal("76.61"):
        return "B"
    if ikm >= Decimal("65.00"):
        return "C"
    return "D"
