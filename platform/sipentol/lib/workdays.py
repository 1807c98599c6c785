"""Working days of a kecamatan office: Monday to Friday, less Indonesian holidays.

Holidays come from the `holidays` package: national public holidays (`public`) and the
government's cuti bersama (`government`, "Joint Holiday"), when offices are closed too.

Counting rule (one rule for the due date and for elapsed time, so that
`working_days_between(s, add_working_days(s, n)) == n`): the day of submission does not
count; the first working day AFTER it is day 1. An SLA of 3 working days on an application
made on Friday 14 August 2026 ends on Thursday 20 August (17 August is Independence Day).
Whether a submission after office hours counts as made the next day is for the caller.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

import holidays

_CATEGORIES = ("public", "government")


@lru_cache(maxsize=64)
def _holidays_of(year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("ID", years=year, categories=_CATEGORIES))


def holiday_name(d: date) -> str | None:
    """The holiday's name (in English, from the package), or None."""
    return holidays.country_holidays("ID", years=d.year, categories=_CATEGORIES).get(d)


def is_working_day(d: date) -> bool:
    return d.weekday() < 5 and d not in _holidays_of(d.year)


def add_working_days(start: date, days: int) -> date:
    """The `days`-th working day after `start` (the due date of an SLA of `days` working days).

    With days=0: `start` itself if it is a working day, else the next working day.
    """
    if days < 0:
        raise ValueError("days must be >= 0")
    current = start
    if days == 0:
        while not is_working_day(current):
            current += timedelta(days=1)
        return current
    remaining = days
    while remaining:
        current += timedelta(days=1)
        if is_working_day(current):
            remaining -= 1
    return current


def working_days_between(start: date, end: date) -> int:
    """Working days in (start, end]: elapsed SLA days; negative when end is before start."""
    if end < start:
        return -working_days_between(end, start)
    count = 0
    current = start
    while current < end:
        current += timedelta(days=1)
        if is_working_day(current):
            count += 1
    return count
