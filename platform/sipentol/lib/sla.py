"""The SLA rules, in working days: one home for due date, pause, days left, overdue, on time.

Every page, API response, fact row and dashboard computes these here. The application's
lifecycle (`sipentol.applications.lifecycle.clock_running`) says whether the clock runs for
a status; this module does the arithmetic, on dates only (no model), so that the regency
roll-up, which never imports `applications`, uses the same rules on its fact rows.

- due date: the SLA's number of working days after the day of submission (`lib.workdays`).
- pause: while the citizen completes, the clock stops; on their return the due date moves by
  the working days the pause took.
- overdue: the clock runs and today is after the due date.
- days left: working days from today to the due date while the clock runs; negative once
  overdue (at least -1 on the first day after the due date, even over a weekend).
- on time: decided (issued or rejected) on or before the due date.
"""

from __future__ import annotations

from datetime import date

from django.db.models import Q

from .workdays import add_working_days, working_days_between


def due_date(*, submitted_on: date, working_days: int) -> date:
    return add_working_days(submitted_on, working_days)


def resume(*, due: date | None, paused_on: date, resumed_on: date) -> tuple[date | None, int]:
    """(new due date, working days paused): the clock stood still from paused_on to resumed_on."""
    paused = max(0, working_days_between(paused_on, resumed_on))
    return (add_working_days(due, paused) if due is not None and paused else due), paused


def is_overdue(*, due: date | None, running: bool, today: date) -> bool:
    return running and due is not None and due < today


def days_left(*, due: date | None, running: bool, today: date) -> int | None:
    """Working days until the due date; negative when overdue; None when the clock is not running."""
    if not running or due is None:
        return None
    if is_overdue(due=due, running=running, today=today):
        return -max(1, working_days_between(due, today))
    return working_days_between(today, due)


def overdue_q(*, today: date, running: Q, due_field: str = "due_date") -> Q:
    """The same rule as `is_overdue`, as a filter; `running` selects the rows whose clock runs."""
    return running & Q(**{f"{due_field}__lt": today})


def on_time(*, due: date | None, decided_on: date) -> bool | None:
    return None if due is None else decided_on <= due


def working_days_taken(*, submitted_on: date, closed_on: date) -> int:
    """Lead time: working days from submission to closing (the day of submission not counted)."""
    return working_days_between(submitted_on, closed_on)
