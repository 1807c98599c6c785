"""The IKM arithmetic (lib/ikm.py): mutu bands, exact 1/9 beside 0.111, Krejcie-Morgan sample."""

from decimal import Decimal

import pytest

from sipentol.lib.ikm import ikm_with_exact, mutu, nrr, sample_size


@pytest.mark.parametrize(
    ("ikm", "grade"),
    [
        ("25.00", "D"),
        ("64.99", "D"),
        ("65.00", "C"),
        ("76.60", "C"),
        ("76.61", "B"),
        ("88.30", "B"),
        ("88.31", "A"),
        ("100.00", "A"),
    ],
)
def test_mutu_is_the_band_of_the_rounded_ikm(ikm, grade):
    assert mutu(Decimal(ikm)) == grade


def test_all_answers_3_give_74_93_with_0_111_and_75_00_with_the_exact_ninth():
    regulation, exact = ikm_with_exact([Decimal(3)] * 9)

    assert regulation == Decimal("74.93") and exact == Decimal("75.00")
    assert mutu(regulation) == "C"


def test_all_answers_4_give_99_90_with_0_111_and_100_00_with_the_exact_ninth():
    assert ikm_with_exact([Decimal(4)] * 9) == (Decimal("99.90"), Decimal("100.00"))


def test_the_exact_ninth_rounds_half_up_from_exact_fractions():
    # NRRs summing to 27.0018 -> 27.0018 / 9 * 25 = 75.005 exactly -> 75.01
    nrrs = [Decimal("3.0002")] * 9

    assert ikm_with_exact(nrrs)[1] == Decimal("75.01")


@pytest.mark.parametrize(
    ("population", "sample"),
    [
        (10, 10),
        (15, 14),
        (20, 19),
        (50, 44),
        (100, 80),
        (200, 132),
        (500, 217),
        (1000, 278),
        (10000, 370),
        (1000000, 384),
    ],
)
def test_sample_size_matches_the_krejcie_morgan_table(population, sample):
    assert sample_size(population) == sample


@pytest.mark.parametrize(("population", "sample"), [(0, 0), (1, 1), (2, 2), (3, 3)])
def test_sample_size_of_a_small_population(population, sample):
    assert sample_size(population) == sample


def test_a_hand_computed_mixed_set_gives_79_78_with_0_111_and_79_86_with_the_exact_ninth():
    # four respondents; unsur sums 14, 12, 13, 12, 14, 11, 13, 14, 12 -> NRRs sum to 28.75
    answers = [
        [4, 3, 3, 2, 4, 3, 3, 4, 3],
        [3, 3, 4, 3, 3, 3, 4, 4, 2],
        [4, 4, 3, 3, 3, 2, 3, 3, 3],
        [3, 2, 3, 4, 4, 3, 3, 3, 4],
    ]
    nrrs = [nrr(sum(r[i] for r in answers), len(answers)) for i in range(9)]
    assert sum(nrrs) == Decimal("28.75")

    # 28.75 x 0.111 = 3.19125; x 25 = 79.78125 -> 79.78 | 28.75 / 9 x 25 = 79.861... -> 79.86
    regulation, exact = ikm_with_exact(nrrs)

    assert (regulation, exact) == (Decimal("79.78"), Decimal("79.86"))
    assert mutu(regulation) == "B"
