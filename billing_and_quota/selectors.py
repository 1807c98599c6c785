"""Usage against quota per kecamatan, counted from the regency facts (public schema only)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sipentol.regency.selectors import Period, month_counts_by_kecamatan

from .models import DEFAULT_PLAN_NAME, Plan, Subscription

WARNING_PERCENT = 80


@dataclass(frozen=True)
class Usage:
    plan: Plan
    applications_submitted: int
    letters_issued: int

    @property
    def quota(self) -> int:
        return self.plan.monthly_application_quota

    @property
    def percent(self) -> int:
        return round(100 * self.applications_submitted / self.quota) if self.quota else 0

    @property
    def warning_at(self) -> int:
        return self.quota * WARNING_PERCENT // 100

    @property
    def warning(self) -> bool:
        return self.percent >= WARNING_PERCENT

    @property
    def over(self) -> bool:
        return self.applications_submitted > self.quota


def default_plan() -> Plan:
    plan = Plan.objects.filter(is_default=True).first()
    if plan is None:  # the data migration makes it; never leave the ops console without a quota
        plan, _ = Plan.objects.get_or_create(name=DEFAULT_PLAN_NAME, defaults={"is_default": True})
    return plan


def plan_for(kecamatan) -> Plan:
    subscription = Subscription.objects.select_related("plan").filter(kecamatan=kecamatan).first()
    return subscription.plan if subscription else default_plan()


def usage_for(kecamatan, month: dt.date | str | None = None) -> Usage:
    """This kecamatan's applications submitted and letters issued in `month` (default: this month)."""
    counts = month_counts_by_kecamatan(_period(month)).get(kecamatan.pk, {})
    return Usage(plan_for(kecamatan), counts.get("submitted", 0), counts.get("issued", 0))


def usage_by_kecamatan(kecamatan_list, month: dt.date | str | None = None) -> dict[int, Usage]:
    """Usage of many kecamatan at once, for the ops console: 3 queries whatever their number."""
    counts = month_counts_by_kecamatan(_period(month))
    plans = {s.kecamatan_id: s.plan for s in Subscription.objects.select_related("plan")}
    fallback = default_plan()
    return {
        k.pk: Usage(
            plans.get(k.pk, fallback), counts.get(k.pk, {}).get("submitted", 0), counts.get(k.pk, {}).get("issued", 0)
        )
        for k in kecamatan_list
    }


def _period(month: dt.date | str | None) -> Period:
    if isinstance(month, dt.date):
        return Period(month.replace(day=1))
    return Period.parse(month)
