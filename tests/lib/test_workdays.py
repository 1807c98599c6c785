from __future__ import annotations

from datetime import date

import pytest

from sipentol.lib.workdays import add_working_days, holiday_name, is_working_day, working_days_between


def test_it_knows_weekends_are_off():
    assert is_working_day(date(2026, 8, 14))  # Friday
    assert not is_working_day(date(2026, 8, 15))  # Saturday
    assert not is_working_day(date(2026, 8, 16))  # Sunday


def test_it_knows_2026_public_holidays_and_cuti_bersama():
    assert not is_working_day(date(2026, 8, 17))  # Hari Kemerdekaan, a Monday
    assert not is_working_day(date(2026, 12, 25))  # Natal
    assert not is_working_day(date(2026, 12, 24))  # cuti bersama Natal
    assert holiday_name(date(2026, 3, 21)) == "Eid al-Fitr"
    # Idul Fitri 1447 H: 21-22 March 2026 fall on a weekend; cuti bersama around it
    for day in (19, 20, 23, 24):
        assert not is_working_day(date(2026, 3, day)), day
    assert is_working_day(date(2026, 3, 25))


def test_it_does_not_count_the_day_of_submission():
    # Monday 3 Aug 2026 + 1 working day = Tuesday
    assert add_working_days(date(2026, 8, 3), 1) == date(2026, 8, 4)


def test_it_skips_a_weekend():
    # Thursday + 3 working days: Fri, Mon, Tue
    assert add_working_days(date(2026, 8, 6), 3) == date(2026, 8, 11)


def test_it_skips_independence_day_after_a_weekend():
    # Friday 14 Aug + 3: (Sat, Sun, Mon 17 Aug off) Tue 18, Wed 19, Thu 20
    assert add_working_days(date(2026, 8, 14), 3) == date(2026, 8, 20)


def test_it_skips_idul_fitri_and_its_cuti_bersama():
    # Tuesday 17 March 2026 + 2: 18-24 March are all off, so Wed 25 and Thu 26
    assert add_working_days(date(2026, 3, 17), 2) == date(2026, 3, 26)


def test_it_skips_christmas():
    # Wednesday 23 Dec + 1: 24 (cuti bersama), 25 (Natal), weekend -> Monday 28 Dec
    assert add_working_days(date(2026, 12, 23), 1) == date(2026, 12, 28)


def test_it_crosses_the_new_year():
    # Thursday 31 Dec 2026 + 1: 1 Jan 2027 is a holiday, then a weekend -> Monday 4 Jan 2027
    assert add_working_days(date(2026, 12, 31), 1) == date(2027, 1, 4)


def test_it_moves_zero_days_on_a_holiday_to_the_next_working_day():
    assert add_working_days(date(2026, 8, 15), 0) == date(2026, 8, 18)
    assert add_working_days(date(2026, 8, 18), 0) == date(2026, 8, 18)


def test_it_refuses_negative_days():
    with pytest.raises(ValueError):
        add_working_days(date(2026, 8, 18), -1)


def test_it_counts_elapsed_working_days_consistently_with_the_due_date():
    start = date(2026, 3, 13)
    for n in range(0, 30):
        due = add_working_days(start, n)
        if n:
            assert working_days_between(start, due) == n
    assert working_days_between(date(2026, 8, 14), date(2026, 8, 18)) == 1
    assert working_days_between(date(2026, 8, 18), date(2026, 8, 14)) == -1
    assert working_days_between(date(2026, 8, 18), date(2026, 8, 18)) == 0
