"""Quota notices leave through the kecamatan's outbox: to its admins and to Diskominfo.

billing_and_quota records a notice once per quota, threshold and month; it cannot import
notifications or accounts (same layer), so this app, above all three, registers the sender
(`OpsConfig.ready()`). The sender runs inside the check's transaction, in the kecamatan's schema:
the notice row and its outbox rows commit together.
"""

from __future__ import annotations

from django.conf import settings

from billing_and_quota.selectors import plan_for
from sipentol.accounts.selectors import admin_emails
from sipentol.notifications.services import outbox_emit
from tenants.selectors import kecamatan_url


def recipients() -> list[str]:
    """The kecamatan's admins (their e-mail on file), then Diskominfo's BILLING_NOTICE_EMAIL."""
    emails = admin_emails()
    if settings.BILLING_NOTICE_EMAIL:
        emails.append(settings.BILLING_NOTICE_EMAIL)
    return emails


def quota_notice_send(*, notice, kecamatan, line) -> None:
    context = {
        "quota_label": line.label,
        "threshold": notice.threshold,
        "used": line.used_display,
        "limit": line.limit_display,
        "percent": line.percent,
        "period": f"{notice.period:%Y-%m}",
        "plan_name": plan_for(kecamatan).name,
        "link": kecamatan_url(kecamatan, "/kantor/pemakaian/"),
    }
    for n, email in enumerate(recipients()):
        outbox_emit(
            event=f"quota.{notice.threshold}",
            template="quota_notice",
            context=context,
            email=email,
            dedupe_key=f"quota-notice:{notice.pk}:{n}",
        )
