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
74.925 -> 74.93 (C): that is the regulation's formula, kept as published. `ikm_with_exact`
gives it together with the IKM the exact weight 1/9 would give (all answers 3: 75.00), for
showing side by side; the mutu is always that of the 0.111 value.

Sample size (the Krejcie-Morgan table the regulation refers to): for a population N,
    s = X^2 N P(1-P) / (d^2 (N-1) + X^2 P(1-P)),  X^2 = 3.841, P = 0.5, d = 0.05,
rounded to the nearest whole respondent (half up), which is how the published table is
rounded (N=50 -> 44.34 -> 44, N=500 -> 217.47 -> 217; rounding up would give 45 and 218).

The questionnaire itself (the nine unsur and their wording) is `sipentol.feedback.skm`; the
regency dashboard, which never imports feedback, uses `ikm_from_average_total` here.
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

WEIGHT = Decimal("0.111")
CONVERSION = Decimal(25)
TWO_PLACES = Decimal("0.01")
EXACT_WEIGHT = Fraction(1, 9)

CHI_SQUARE = Fraction("3.841")  # X^2, 1 degree of freedom, 95% confidence
PROPORTION = Fraction(1, 2)  # P
MARGIN = Fraction(5, 100)  # d


def nrr(total: int, respondents: int) -> Decimal:
    """Nilai rata-rata of one unsur, exact."""
    return Decimal(total) / Decimal(respondents)


def ikm_from_nrr(nrrs: list[Decimal]) -> tuple[Decimal, Decimal]:
    """(IKM unit on the 1-4 scale, unrounded; converted IKM on the 25-100 scale, 2 decimals)."""
    unit = sum((value * WEIGHT for value in nrrs), Decimal(0))
    return unit, (unit * CONVERSION).quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def _round_half_up(value: Fraction, places: int) -> Decimal:
    scale = 10**places
    whole = math.floor(value * scale + Fraction(1, 2))
    return Decimal(whole).scaleb(-places)


def ikm_exact_from_nrr(nrrs: list[Decimal]) -> Decimal:
    """Converted IKM with the exact weight 1/9 (not the regulation's), 2 decimals half up."""
    unit = sum((Fraction(value) for value in nrrs), Fraction(0)) * EXACT_WEIGHT
    return _round_half_up(unit * int(CONVERSION), 2)


def ikm_with_exact(nrrs: list[Decimal]) -> tuple[Decimal, Decimal]:
    """(converted IKM with the regulation's 0.111, converted IKM with the exact 1/9), side by side."""
    return ikm_from_nrr(nrrs)[1], ikm_exact_from_nrr(nrrs)


def sample_size(population: int) -> int:
    """The Krejcie-Morgan sample size for a population of `population` (0 for none)."""
    if population <= 0:
        return 0
    n = Fraction(population)
    spread = CHI_SQUARE * PROPORTION * (1 - PROPORTION)
    return int(_round_half_up(spread * n / (MARGIN**2 * (n - 1) + spread), 0))


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
