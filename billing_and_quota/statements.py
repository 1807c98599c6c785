"""Monthly statements: per kecamatan a PDF (rendered by the document engine, as letters are) and
a CSV, and one regency summary CSV for cost allocation (one row per kecamatan).

Generated from the public schema into the public prefix of object storage (a statement is
Diskominfo's document and must not count against the kecamatan's storage quota). Idempotent:
a document already made for its kecamatan, month and kind is not made again.
"""

from __future__ import annotations

import csv
import datetime as dt
import io

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from sipentol.docengine.render import html_to_pdf
from sipentol.lib import storage, workdays
from sipentol.lib.metering import Quota
from tenants.crossing import EVERY, kecamatan_queryset

from .models import QUOTA_LABELS, Statement
from .selectors import month_of, overages_for, previous_month, usage_by_kecamatan


def first_working_day(period: dt.date) -> dt.date:
    day = period
    while not workdays.is_working_day(day):
        day += dt.timedelta(days=1)
    return day


def _store(*, kecamatan, period: dt.date, kind: str, content: bytes, content_type: str) -> Statement:
    key = storage.put(io.BytesIO(content), content_type=content_type, length=len(content))
    return Statement.objects.create(kecamatan=kecamatan, period=period, kind=kind, key=key, size=len(content))


def _csv(rows: list[list]) -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue().encode("utf-8-sig")  # a BOM, so that a spreadsheet reads it as UTF-8


def kecamatan_statement_csv(*, kecamatan, usage, overages) -> bytes:
    rows = [
        ["kode", "kecamatan", "bulan", "paket"],
        [kecamatan.code, kecamatan.name, f"{usage.period:%Y-%m}", usage.plan.name],
        [],
        ["kuota", "pemakaian", "batas", "persen", "kelebihan"],
    ]
    rows += [[line.quota.value, line.used, line.limit, line.percent, line.overage] for line in usage.lines]
    rows += [[], ["kelebihan", "kode lacak", "id permohonan", "pemakaian ke", "batas", "waktu"]]
    rows += [
        [o.quota, o.tracking_code, o.application_id, o.used, o.limit, timezone.localtime(o.at).isoformat()]
        for o in overages
    ]
    return _csv(rows)


def regency_summary_csv(*, kecamatan_list, usage) -> bytes:
    header = ["kode", "kecamatan", "bulan", "paket"]
    for quota in Quota:
        header += [f"{quota.value}_pemakaian", f"{quota.value}_batas", f"{quota.value}_kelebihan"]
    rows = [header]
    for k in kecamatan_list:
        u = usage[k.pk]
        row = [k.code, k.name, f"{u.period:%Y-%m}", u.plan.name]
        for line in u.lines:
            row += [line.used, line.limit, line.overage]
        rows.append(row)
    return _csv(rows)


def statements_generate(*, period: dt.date) -> list[Statement]:
    """Make every missing document of `period` (a month): each kecamatan's PDF and CSV, then the
    regency summary. Runs in the public schema."""
    period = month_of(period)
    kecamatan_list = list(kecamatan_queryset(EVERY).order_by("code"))
    usage = usage_by_kecamatan(kecamatan_list, period)
    made = []
    done = set(Statement.objects.filter(period=period).values_list("kecamatan_id", "kind"))
    with translation.override(settings.LANGUAGE_CODE):
        for k in kecamatan_list:
            overages = overages_for(k, period)
            if (k.pk, Statement.Kind.PDF) not in done:
                html = render_to_string(
                    "billing_and_quota/statement.html",
                    {
                        "kecamatan": k,
                        "usage": usage[k.pk],
                        "overages": overages,
                        "labels": QUOTA_LABELS,
                        "generated": timezone.localtime(),
                    },
                )
                with transaction.atomic():
                    made.append(
                        _store(
                            kecamatan=k,
                            period=period,
                            kind=Statement.Kind.PDF,
                            content=html_to_pdf(html),
                            content_type="application/pdf",
                        )
                    )
            if (k.pk, Statement.Kind.CSV) not in done:
                content = kecamatan_statement_csv(kecamatan=k, usage=usage[k.pk], overages=overages)
                with transaction.atomic():
                    made.append(
                        _store(
                            kecamatan=k,
                            period=period,
                            kind=Statement.Kind.CSV,
                            content=content,
                            content_type="text/csv",
                        )
                    )
        if (None, Statement.Kind.SUMMARY_CSV) not in done:
            content = regency_summary_csv(kecamatan_list=kecamatan_list, usage=usage)
            with transaction.atomic():
                made.append(
                    _store(
                        kecamatan=None,
                        period=period,
                        kind=Statement.Kind.SUMMARY_CSV,
                        content=content,
                        content_type="text/csv",
                    )
                )
    return made


def statements_due(*, today: dt.date | None = None) -> list[Statement]:
    """The beat job's work: from the first working day of a month on, last month's documents
    (the ones still missing; nothing on the days before)."""
    today = today or timezone.localdate()
    this_month = today.replace(day=1)
    if today < first_working_day(this_month):
        return []
    return statements_generate(period=previous_month(this_month))
