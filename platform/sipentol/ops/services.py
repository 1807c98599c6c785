"""Writes of the ops console: the daily figures each kecamatan's own schema holds.

The console's list must not query 500 schemas per request: the beat job measures each
kecamatan inside its schema (`tenants.crossing.for_each_kecamatan`) and stores the figures
in the public schema (`regency.KecamatanSnapshot`), which the list then reads in one query.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from sipentol.applications.models import Document
from sipentol.letters.models import SigningBatchItem
from sipentol.lib.signature_footer import DEFAULT_BSRE_FOOTER
from sipentol.notifications.selectors import outbox_undelivered
from sipentol.regency.services import kecamatan_snapshot_record
from tenants.crossing import EVERY, for_each_kecamatan
from tenants.golive import checklist

from .models import SignatureFooter

FAILED_SIGNINGS_DAYS = 30


def kecamatan_figures_measure(*, now: dt.datetime | None = None) -> dict[str, int]:
    """The current kecamatan's stored files, undelivered messages and recent failed signings."""
    now = now or timezone.now()
    files = Document.objects.exclude(scan_status=Document.ScanStatus.INFECTED).aggregate(
        count=Count("pk"), size=Sum("size")
    )
    return {
        "storage_bytes": files["size"] or 0,
        "documents": files["count"],
        "undelivered_messages": outbox_undelivered().count(),
        "failed_signings": SigningBatchItem.objects.filter(
            state=SigningBatchItem.State.FAILED, finished_at__gte=now - dt.timedelta(days=FAILED_SIGNINGS_DAYS)
        ).count(),
    }


def kecamatan_snapshots_take(*, kecamatan_list: Iterable | None = None) -> dict[str, dict[str, int]]:
    """Measure every kecamatan (any status: a suspended one still holds its files and messages)
    and store today's snapshot of each. Crosses tenants; idempotent within a day (the day's row is
    replaced). One broken schema is logged and the others are still measured."""
    today = timezone.localdate()

    def take(kecamatan) -> dict[str, int]:
        figures = kecamatan_figures_measure()
        states = checklist(kecamatan)
        figures.update(golive_done=sum(state.done for state in states), golive_total=len(states))
        kecamatan_snapshot_record(kecamatan_id=kecamatan.pk, day=today, **figures)
        return figures

    return for_each_kecamatan(take, statuses=EVERY, kecamatan_list=kecamatan_list)


SIGNATURE_FOOTER_MAX_CHARS = 600


def signature_footer_set(*, text: str, actor: str) -> SignatureFooter:
    """Diskominfo's wording of the BSrE footer (one row); empty text restores BSSN's default.
    The caller audits it (ops_audit, with the address)."""
    lines = [line.strip() for line in (text or "").splitlines() if line.strip()]
    if len("\n".join(lines)) > SIGNATURE_FOOTER_MAX_CHARS:
        raise ValidationError(
            _("Catatan kaki terlalu panjang: paling banyak %(n)d karakter.") % {"n": SIGNATURE_FOOTER_MAX_CHARS}
        )
    with transaction.atomic():
        row = SignatureFooter.objects.select_for_update().order_by("pk").first() or SignatureFooter()
        row.bsre_text = "\n".join(lines) or DEFAULT_BSRE_FOOTER
        row.updated_by = actor
        row.save()
    return row
