"""Billing state a test does not exercise, in one line."""

from __future__ import annotations

import itertools

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from billing_and_quota.models import Plan
from billing_and_quota.services import subscription_set_plan, usage_record
from sipentol.lib.metering import Quota

_ids = itertools.count(700_000)


class PlanFactory(DjangoModelFactory):
    class Meta:
        model = Plan

    name = factory.Sequence(lambda n: f"Uji {n}")
    monthly_application_quota = 5
    monthly_letter_quota = 5
    storage_quota_gb = 50
    staff_seats = 25
    monthly_whatsapp_quota = 100


def on_plan(kecamatan, **quotas) -> Plan:
    plan = PlanFactory(**quotas)
    subscription_set_plan(kecamatan=kecamatan, plan=plan)
    return plan


def counted(kecamatan, n: int, *, quota: Quota = Quota.APPLICATIONS, at=None) -> list[int]:
    """`n` applications (or letters) counted for the kecamatan, as the fact registry counts them."""
    ids = [next(_ids) for _ in range(n)]
    for pk in ids:
        usage_record(
            kecamatan_id=kecamatan.pk,
            quota=quota,
            application_id=pk,
            tracking_code=f"UJI-{pk}",
            at=at or timezone.now(),
        )
    return ids
