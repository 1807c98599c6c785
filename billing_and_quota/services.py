"""Writes of billing: subscriptions, plans, live usage and overage, the daily check and its notices.

A citizen is never refused because of a quota: an application or letter beyond the month's
quota is counted and recorded as `Overage` with the application that went over. Only staff
seats are a hard limit (accounts asks `lib.metering.limit`, answered by `seat_limit` here).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable

from django.db import connection, transaction
from django.utils import timezone

from sipentol.lib import metering
from sipentol.lib.facts import ApplicationFactRow
from sipentol.lib.metering import Quota
from tenants.crossing import in_kecamatan_schema
from tenants.models import Kecamatan

from .models import THRESHOLDS, MeasuredUsage, Overage, Plan, QuotaNotice, Subscription, UsageItem
from .selectors import default_plan, month_bounds, month_of, plan_for, usage_for

log = logging.getLogger(__name__)


# ------------------------------------------------------------------ subscriptions and plans
def subscription_ensure(*, kecamatan: Kecamatan, actor: str = "system") -> Subscription:
    """The kecamatan's subscription, made on the default plan if it has none (provisioning step;
    idempotent: an existing subscription keeps its plan)."""
    subscription, _ = Subscription.objects.get_or_create(kecamatan=kecamatan, defaults={"plan": default_plan()})
    return subscription


def subscription_set_plan(*, kecamatan: Kecamatan, plan: Plan) -> Subscription:
    with transaction.atomic():
        subscription = subscription_ensure(kecamatan=kecamatan)
        if subscription.plan_id != plan.pk:
            subscription.plan = plan
            subscription.save(update_fields=["plan"])
    return subscription


def plan_save(*, plan: Plan) -> Plan:
    """Save a plan edited on the console; a plan made the default takes that role from the old one."""
    with transaction.atomic():
        if plan.is_default:
            Plan.objects.filter(is_default=True).exclude(pk=plan.pk).update(is_default=False)
        plan.save()
    return plan


# ------------------------------------------------------------------ live usage and overage
def usage_record(
    *, kecamatan_id: int, quota: Quota, application_id: int, tracking_code: str, at: dt.datetime
) -> Overage | None:
    """Count one application (submitted) or letter (issued) in its month; call it inside the
    transaction of the transition. Idempotent per application and quota.

    Beyond the plan's monthly quota the item is still counted and an `Overage` row names the
    application. The kecamatan's subscription row is locked while counting, so two concurrent
    submissions get consecutive positions and exactly one of them is the first beyond the quota.
    """
    if UsageItem.objects.filter(kecamatan_id=kecamatan_id, quota=quota, application_id=application_id).exists():
        return None
    kecamatan = Kecamatan.objects.get(pk=kecamatan_id)
    period = month_of(at)
    with transaction.atomic():
        subscription = subscription_ensure(kecamatan=kecamatan)
        subscription = Subscription.objects.select_for_update().select_related("plan").get(pk=subscription.pk)
        if UsageItem.objects.filter(kecamatan_id=kecamatan_id, quota=quota, application_id=application_id).exists():
            return None
        UsageItem.objects.create(
            kecamatan_id=kecamatan_id,
            quota=quota,
            period=period,
            application_id=application_id,
            tracking_code=tracking_code,
            at=at,
        )
        used = UsageItem.objects.filter(kecamatan_id=kecamatan_id, quota=quota, period=period).count()
        limit = subscription.plan.limit(quota)
        if used <= limit:
            return None
        return Overage.objects.create(
            kecamatan_id=kecamatan_id,
            quota=quota,
            period=period,
            application_id=application_id,
            tracking_code=tracking_code,
            used=used,
            limit=limit,
            at=at,
        )


class BillingFactSink:
    """Registered in lib/facts.py: every application transition passes its fact row here, in its
    own transaction; a first submission and a first issued letter are counted."""

    def upsert(self, *, kecamatan_id: int, rows: list[ApplicationFactRow]) -> None:
        for row in rows:
            if row.submitted_at:
                usage_record(
                    kecamatan_id=kecamatan_id,
                    quota=Quota.APPLICATIONS,
                    application_id=row.application_id,
                    tracking_code=row.tracking_code,
                    at=row.submitted_at,
                )
            if row.issued_at:
                usage_record(
                    kecamatan_id=kecamatan_id,
                    quota=Quota.LETTERS,
                    application_id=row.application_id,
                    tracking_code=row.tracking_code,
                    at=row.issued_at,
                )

    def purge_older(self, *, kecamatan_id: int, before: dt.datetime) -> int:
        return 0  # usage already counted stays on the books


fact_sink = BillingFactSink()


def seat_limit(quota: str) -> int | None:
    """Limit provider for lib/metering.py: the current kecamatan's plan limit."""
    tenant = getattr(connection, "tenant", None)
    if not in_kecamatan_schema() or not isinstance(tenant, Kecamatan):
        return None
    return plan_for(tenant).limit(quota)


# ------------------------------------------------------------------ the daily check and notices
# A sender gets each new QuotaNotice inside the check's transaction, in the kecamatan's schema;
# the ops app registers the one that writes the outbox (billing never imports notifications).
NoticeSender = Callable[..., None]
_notice_senders: list[NoticeSender] = []


def register_notice_sender(sender: NoticeSender) -> None:
    if sender not in _notice_senders:
        _notice_senders.append(sender)


def usage_measure(*, kecamatan: Kecamatan, now: dt.datetime | None = None) -> dict[str, int]:
    """Measure every metered quota (storage, seats, WhatsApp) of the kecamatan whose schema is
    current and store this month's level. Idempotent: measuring again overwrites the level."""
    now = now or timezone.now()
    period = month_of(now)
    start, end = month_bounds(period)
    levels = {}
    for quota in metering.measured_quotas():
        levels[quota] = metering.measure(quota, start=start, end=end)
        MeasuredUsage.objects.update_or_create(
            kecamatan=kecamatan, quota=quota, period=period, defaults={"value": levels[quota], "measured_at": now}
        )
    return levels


def quota_notices_check(*, kecamatan: Kecamatan, period: dt.date | None = None) -> list[QuotaNotice]:
    """Record (and send) a notice for every quota at 80% or 100% of the plan this month, once per
    quota, threshold and month, even when run twice at the same time (unique constraint): the
    loser of a race finds the winner's row and sends nothing. Runs in the kecamatan's schema."""
    if not _notice_senders:
        raise RuntimeError("no quota notice sender registered (is sipentol.ops installed?)")
    period = month_of(period)
    usage = usage_for(kecamatan, period)
    new = []
    for line in usage.lines:
        for threshold in THRESHOLDS:
            if not line.limit or line.used * 100 < threshold * line.limit:
                continue
            with transaction.atomic():
                notice, created = QuotaNotice.objects.get_or_create(
                    kecamatan=kecamatan,
                    quota=line.quota,
                    threshold=threshold,
                    period=period,
                    defaults={"used": line.used, "limit": line.limit},
                )
                if created:
                    for sender in _notice_senders:
                        sender(notice=notice, kecamatan=kecamatan, line=line)
                    new.append(notice)
    return new


def usage_daily_check(*, kecamatan: Kecamatan) -> int:
    """The beat job's work in one kecamatan (its schema current): measure, then notices."""
    usage_measure(kecamatan=kecamatan)
    return len(quota_notices_check(kecamatan=kecamatan))
