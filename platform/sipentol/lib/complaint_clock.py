"""The complaint clock of SP4N-LAPOR!: one home for a complaint's stage deadlines, due and overdue.

SP4N-LAPOR! (PermenPAN-RB 62/2018, Pengelolaan Pengaduan Pelayanan Publik Nasional) gives an
office, counted in working days from the day the complaint is received: verify it (or forward
it to the office it belongs to) within 3, follow it up within 5, resolve it within 10. Diskominfo
may set other numbers (`Thresholds`, stored by the regency app and offered here through
`register_thresholds_provider`, so that feedback (a kecamatan's schema) and the regency board
(the public schema's facts) read the same numbers without importing each other).

Working days are `lib.workdays` (weekends, public holidays and cuti bersama off; the day of
receipt does not count). Each stage runs from the day of RECEIPT, not from the previous stage:
the regulation's deadlines are all measured from receipt.

A complaint is judged on the first stage it has not reached yet:
- due: today is the stage's deadline or the working day before it (act now);
- overdue: today is after the deadline.
A resolved complaint is neither.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from .workdays import add_working_days, working_days_between

# The stages in order; a complaint at stage s has done every stage before s.
RECEIVED = "received"  # waiting to be verified or forwarded
VERIFIED = "verified"  # verified / forwarded, waiting to be followed up
FOLLOWED_UP = "followed_up"  # followed up, waiting to be resolved
RESOLVED = "resolved"
STAGES = (RECEIVED, VERIFIED, FOLLOWED_UP, RESOLVED)

# How many working days before the deadline a complaint counts as "due" (the deadline's day and
# the working day before it).
DUE_WINDOW = 1


@dataclass(frozen=True)
class Thresholds:
    """Working days from receipt by which each step must be done (SP4N-LAPOR!: 3, 5, 10)."""

    verify: int = 3
    follow_up: int = 5
    resolve: int = 10

    def for_stage(self, stage: str) -> int | None:
        """The deadline (in working days) of the step a complaint at `stage` waits for."""
        return {RECEIVED: self.verify, VERIFIED: self.follow_up, FOLLOWED_UP: self.resolve}.get(stage)

    def check(self) -> None:
        """Raise ValueError unless 1 <= verify <= follow_up <= resolve <= 60."""
        if not 1 <= self.verify <= self.follow_up <= self.resolve <= 60:
            raise ValueError("deadlines must satisfy 1 <= verify <= follow_up <= resolve <= 60")


DEFAULT = Thresholds()

_provider: list[Callable[[], Thresholds]] = []


def register_thresholds_provider(provider: Callable[[], Thresholds]) -> None:
    """The regency app registers the reader of Diskominfo's setting (cached) here."""
    _provider[:] = [provider]


def thresholds() -> Thresholds:
    """Diskominfo's current deadlines, or the regulation's when no provider is registered."""
    return _provider[0]() if _provider else DEFAULT


def deadline(*, received_on: date, stage: str, limits: Thresholds | None = None) -> date | None:
    """The date by which a complaint at `stage` must reach the next one (None once resolved)."""
    days = (limits or thresholds()).for_stage(stage)
    return None if days is None else add_working_days(received_on, days)


@dataclass(frozen=True)
class Judgement:
    stage: str
    deadline: date | None
    due: bool
    overdue: bool
    days_late: int  # working days after the deadline (0 unless overdue)


def judge(*, received_on: date, stage: str, today: date, limits: Thresholds | None = None) -> Judgement:
    """Where a complaint stands against the clock today."""
    by = deadline(received_on=received_on, stage=stage, limits=limits)
    if by is None:
        return Judgement(stage, None, False, False, 0)
    if today > by:
        return Judgement(stage, by, False, True, max(1, working_days_between(by, today)))
    return Judgement(stage, by, working_days_between(today, by) <= DUE_WINDOW, False, 0)
