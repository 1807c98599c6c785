"""Reads: plans, and usage against quota per kecamatan and month (from billing's own records).

Applications and letters are counted live (`UsageItem`, written with the application's
transition); storage, staff seats and WhatsApp messages are the levels the daily check measured
(`MeasuredUsage`). billing_and_quota imports only tenants and the lowest layer.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count
from django.utils import timezone

from sipentol.lib.metering import Quota

from .models import DEFAULT_PLAN_NAME, GB, QUOTA_LABELS, MeasuredUsage, Overage, Plan, Subscription, UsageItem

WARNING_PERCENT = 80
LIVE_QUOTAS = (Quota.APPLICATIONS, Quota.LETTERS)


def month_of(moment: dt.datetime | dt.date | None = None) -> dt.date:
    """The first day of the month `moment` falls in (platform time zone); default: this month."""
    if moment is None:
        return timezone.localdate().replace(day=1)
    if isinstance(moment, dt.datetime):
        return timezone.localtime(moment).date().replace(day=1)
    return moment.replace(day=1)


def month_bounds(period: dt.date) -> tuple[dt.datetime, dt.datetime]:
    following = (period.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    start = timezone.make_aware(dt.datetime.combine(period, dt.time.min))
    return start, timezone.make_aware(dt.datetime.combine(following, dt.time.min))


def previous_month(period: dt.date) -> dt.date:
    return (period - dt.timedelta(days=1)).replace(day=1)


@dataclass(frozen=True)
class QuotaLine:
    quota: Quota
    used: int
    limit: int
    overage: int = 0

    @property
    def label(self) -> str:
        return str(QUOTA_LABELS[self.quota])

    @property
    def percent(self) -> int:
        return round(100 * self.used / self.limit) if self.limit else 0

    @property
    def warning(self) -> bool:
        return self.percent >= WARNING_PERCENT

    @property
    def full(self) -> bool:
        return self.used >= self.limit

    @property
    def over(self) -> bool:
        return self.used > self.limit

    def _show(self, n: int) -> str:
        return f"{n / GB:.2f} GB" if self.quota == Quota.STORAGE else str(n)

    @property
    def used_display(self) -> str:
        return self._show(self.used)

    @property
    def limit_display(self) -> str:
        return self._show(self.limit)


@dataclass(frozen=True)
class Usage:
    plan: Plan
    period: dt.date
    used: dict[str, int] = field(default_factory=dict)
    overage: dict[str, int] = field(default_factory=dict)

    @property
    def lines(self) -> list[QuotaLine]:
        return [QuotaLine(q, self.used.get(q, 0), self.plan.limit(q), self.overage.get(q, 0)) for q in Quota]

    def line(self, quota: Quota) -> QuotaLine:
        return QuotaLine(quota, self.used.get(quota, 0), self.plan.limit(quota), self.overage.get(quota, 0))

    # The applications quota, as the ops console shows it.
    @property
    def applications_submitted(self) -> int:
        return self.used.get(Quota.APPLICATIONS, 0)

    @property
    def letters_issued(self) -> int:
        return self.used.get(Quota.LETTERS, 0)

    @property
    def quota(self) -> int:
        return self.plan.monthly_application_quota

    @property
    def percent(self) -> int:
        return self.line(Quota.APPLICATIONS).percent

    @property
    def warning_at(self) -> int:
        return self.quota * WARNING_PERCENT // 100

    @property
    def warning(self) -> bool:
        return self.line(Quota.APPLICATIONS).warning

    @property
    def over(self) -> bool:
        return self.line(Quota.APPLICATIONS).over


def default_plan() -> Plan:
    plan = Plan.objects.filter(is_default=True).first()
    if plan is None:  # the data migration makes it; never leave a kecamatan without a quota
        plan, _ = Plan.objects.get_or_create(name=DEFAULT_PLAN_NAME, defaults={"is_default": True})
    return plan


def plan_for(kecamatan) -> Plan:
    subscription = Subscription.objects.select_related("plan").filter(kecamatan=kecamatan).first()
    return subscription.plan if subscription else default_plan()


def plans_by_kecamatan(kecamatan_list) -> dict[int, Plan]:
    """The plan of each kecamatan (its subscription's, else the default): 2 queries."""
    plans = {s.kecamatan_id: s.plan for s in Subscription.objects.select_related("plan")}
    fallback = default_plan()
    return {k.pk: plans.get(k.pk, fallback) for k in kecamatan_list}


def usage_by_kecamatan(kecamatan_list, period: dt.date | None = None) -> dict[int, Usage]:
    """Usage of many kecamatan in one month: 5 queries whatever their number."""
    kecamatan_list = list(kecamatan_list)
    period = month_of(period)
    ids = [k.pk for k in kecamatan_list]
    used: dict[int, dict[str, int]] = {pk: {} for pk in ids}
    overage: dict[int, dict[str, int]] = {pk: {} for pk in ids}
    for row in (
        UsageItem.objects.filter(kecamatan_id__in=ids, period=period)
        .values("kecamatan_id", "quota")
        .annotate(n=Count("id"))
    ):
        used[row["kecamatan_id"]][row["quota"]] = row["n"]
    for row in MeasuredUsage.objects.filter(kecamatan_id__in=ids, period=period).values(
        "kecamatan_id", "quota", "value"
    ):
        used[row["kecamatan_id"]][row["quota"]] = row["value"]
    for row in (
        Overage.objects.filter(kecamatan_id__in=ids, period=period)
        .values("kecamatan_id", "quota")
        .annotate(n=Count("id"))
    ):
        overage[row["kecamatan_id"]][row["quota"]] = row["n"]
    plans = plans_by_kecamatan(kecamatan_list)
    return {k.pk: Usage(plans[k.pk], period, used[k.pk], overage[k.pk]) for k in kecamatan_list}


def usage_for(kecamatan, period: dt.date | None = None) -> Usage:
    return usage_by_kecamatan([kecamatan], period)[kecamatan.pk]


def overages_for(kecamatan, period: dt.date) -> list[Overage]:
    return list(Overage.objects.filter(kecamatan=kecamatan, period=month_of(period)))
