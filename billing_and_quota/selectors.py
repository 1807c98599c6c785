"""Plans, and usage against quota per kecamatan. The counts come from the caller (the ops console
reads them from the regency facts): billing_and_quota imports only tenants."""

from __future__ import annotations

from dataclasses import dataclass

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


def plans_by_kecamatan(kecamatan_list) -> dict[int, Plan]:
    """The plan of each kecamatan (its subscription's, else the default): 2 queries."""
    plans = {s.kecamatan_id: s.plan for s in Subscription.objects.select_related("plan")}
    fallback = default_plan()
    return {k.pk: plans.get(k.pk, fallback) for k in kecamatan_list}
