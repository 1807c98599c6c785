"""The desa's deadline for a pengantar and its escalation: the one home of those rules.

Dates only, in working days (weekends and Indonesian public holidays off), with the same
arithmetic as the kecamatan's SLA (`lib/sla.py`, `lib/workdays.py`):

- due: the desa's number of working days (`DesaProfile.deadline_working_days`, default
  DESA_PENGANTAR_WORKING_DAYS = 1) after the day the citizen asked;
- step 1, the desa's operator (and Kepala Desa) are reminded: the due date has passed;
- step 2, the kecamatan is told: one more working day has passed without an answer;
- response time: working days from the request to the desa's answer (signed or refused).
"""

from __future__ import annotations

from datetime import date

from sipentol.lib import sla
from sipentol.lib.workdays import add_working_days

NONE, OPERATOR, KECAMATAN = 0, 1, 2


def due_date(*, requested_on: date, working_days: int) -> date:
    return sla.due_date(submitted_on=requested_on, working_days=working_days)


def escalation_step(*, due: date, today: date) -> int:
    """Which escalation a request still open on `today` has reached."""
    if not sla.is_overdue(due=due, running=True, today=today):
        return NONE
    if today > add_working_days(due, 1):
        return KECAMATAN
    return OPERATOR


def working_days_taken(*, requested_on: date, answered_on: date) -> int:
    return sla.working_days_taken(submitted_on=requested_on, closed_on=answered_on)
