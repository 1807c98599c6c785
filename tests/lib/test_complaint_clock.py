"""The SP4N-LAPOR! complaint clock (lib/complaint_clock.py): deadlines in working days from receipt,
holidays and cuti bersama off, due the deadline's day and the working day before, overdue after."""

from datetime import date

import pytest

from sipentol.lib import complaint_clock as clock
from sipentol.lib.complaint_clock import Thresholds

# Friday 14 August 2026: 15-16 are a weekend, 17 August is Independence Day (Monday), 25 August
# the Prophet's Birthday (Maulid Nabi, Tuesday).
FRIDAY = date(2026, 8, 14)


@pytest.mark.parametrize(
    ("stage", "deadline"),
    [
        (clock.RECEIVED, date(2026, 8, 20)),  # 18, 19, 20: verify within 3
        (clock.VERIFIED, date(2026, 8, 24)),  # 18..21, 24: follow up within 5
        (clock.FOLLOWED_UP, date(2026, 9, 1)),  # 18..21, 24, 26..28, 31, 1 Sep: resolve within 10
        (clock.RESOLVED, None),
    ],
)
def test_each_stage_deadline_counts_working_days_from_receipt_skipping_the_holiday(stage, deadline):
    assert clock.deadline(received_on=FRIDAY, stage=stage, limits=Thresholds()) == deadline


def test_a_complaint_is_due_on_the_day_before_and_the_day_of_its_deadline_and_overdue_after():
    def judge(today):
        return clock.judge(received_on=FRIDAY, stage=clock.RECEIVED, today=today, limits=Thresholds())

    assert not judge(date(2026, 8, 18)).due and not judge(date(2026, 8, 18)).overdue
    assert judge(date(2026, 8, 19)).due and judge(date(2026, 8, 20)).due
    late = judge(date(2026, 8, 21))
    assert late.overdue and not late.due and late.days_late == 1 and late.deadline == date(2026, 8, 20)
    # Over the weekend it is still one working day late; Monday makes two.
    assert judge(date(2026, 8, 23)).days_late == 1 and judge(date(2026, 8, 24)).days_late == 2


def test_a_resolved_complaint_is_never_due_or_overdue():
    verdict = clock.judge(received_on=FRIDAY, stage=clock.RESOLVED, today=date(2027, 1, 1), limits=Thresholds())
    assert not verdict.due and not verdict.overdue and verdict.deadline is None


def test_other_thresholds_move_the_deadlines():
    assert clock.deadline(received_on=FRIDAY, stage=clock.RECEIVED, limits=Thresholds(1, 2, 4)) == date(2026, 8, 18)


@pytest.mark.parametrize("numbers", [(0, 5, 10), (6, 5, 10), (3, 11, 10), (3, 5, 61)])
def test_thresholds_out_of_order_or_range_are_refused(numbers):
    with pytest.raises(ValueError):
        Thresholds(*numbers).check()
