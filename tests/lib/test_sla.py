"""The SLA rules in working days (lib/sla.py): the one arithmetic every page, API and figure uses."""

from __future__ import annotations

from datetime import date

from sipentol.lib import sla

FRIDAY = date(2026, 8, 14)  # 17 August (Monday) is Independence Day


def test_it_sets_the_due_date_in_working_days_after_submission():
    assert sla.due_date(submitted_on=FRIDAY, working_days=3) == date(2026, 8, 20)


def test_it_moves_the_due_date_by_the_working_days_the_citizen_took():
    due = date(2026, 8, 20)

    # paused from Friday 14 to Friday 21 August: 4 working days (the 17th is a holiday)
    moved, paused = sla.resume(due=due, paused_on=FRIDAY, resumed_on=date(2026, 8, 21))

    assert paused == 4
    assert moved == date(2026, 8, 27)  # 21, 24, 26, 27: the 25th is the Prophet's Birthday


def test_it_does_not_move_the_due_date_for_a_pause_over_a_weekend_only():
    moved, paused = sla.resume(due=date(2026, 8, 20), paused_on=date(2026, 8, 21), resumed_on=date(2026, 8, 23))

    assert (moved, paused) == (date(2026, 8, 20), 0)


def test_it_calls_overdue_only_a_running_clock_after_the_due_date():
    due = date(2026, 8, 20)

    assert sla.is_overdue(due=due, running=True, today=date(2026, 8, 21))
    assert not sla.is_overdue(due=due, running=True, today=due)
    assert not sla.is_overdue(due=due, running=False, today=date(2026, 9, 1))


def test_it_counts_a_missed_friday_deadline_as_late_on_the_weekend():
    # due Friday 21 August; on Saturday no working day has passed, yet the deadline is missed
    days = sla.days_left(due=date(2026, 8, 21), running=True, today=date(2026, 8, 22))

    assert days == -1
    assert sla.is_overdue(due=date(2026, 8, 21), running=True, today=date(2026, 8, 22))


def test_it_counts_working_days_left_and_none_while_paused():
    assert sla.days_left(due=date(2026, 8, 20), running=True, today=FRIDAY) == 3
    assert sla.days_left(due=date(2026, 8, 20), running=False, today=FRIDAY) is None
    assert sla.days_left(due=date(2026, 8, 24), running=True, today=date(2026, 8, 27)) == -2  # 26, 27


def test_it_calls_a_decision_on_the_due_date_on_time():
    assert sla.on_time(due=date(2026, 8, 20), decided_on=date(2026, 8, 20)) is True
    assert sla.on_time(due=date(2026, 8, 20), decided_on=date(2026, 8, 21)) is False
    assert sla.on_time(due=None, decided_on=date(2026, 8, 21)) is None
