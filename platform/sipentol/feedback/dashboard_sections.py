"""The Camat's board sections of the feedback app: complaints due or overdue on the SP4N-LAPOR!
clock, and SKM follow-ups still open. Registered in `FeedbackConfig.ready()` on the "camat" board
of `lib/dashboards.py`. No complainant or respondent identity: references, categories, stages,
dates and the unsur answered low.
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sipentol.lib.dashboard_html import table_html
from sipentol.lib.dashboards import Filters, Table, tables_once

from . import selectors
from .models import STAGE_LABELS


def _render(section, request, filters: Filters, empty: str) -> str:
    # the one look of a board table (lib/dashboard_html.py), as every section shows it
    return "".join(table_html(t, empty=empty) for t in section.tables(request, filters))


class ComplaintsDue:
    key = "complaints-due"
    title = gettext_lazy("Pengaduan jatuh tempo dan terlambat")

    @tables_once
    def tables(self, request, filters: Filters) -> list[Table]:
        rows = selectors.complaints_on_clock(today=filters.today, due_or_overdue_only=True)
        return [
            Table(
                key="complaints-due",
                title=str(self.title),
                columns=[_("Nomor"), _("Kategori"), _("Tahap"), _("Batas waktu"), _("Hari terlambat")],
                rows=[
                    (
                        r.complaint.reference,
                        str(r.complaint.get_category_display()),
                        str(STAGE_LABELS[r.judgement.stage]),
                        r.judgement.deadline,
                        r.judgement.days_late,
                    )
                    for r in rows
                ],
            )
        ]

    def render(self, request, filters: Filters) -> str:
        return _render(self, request, filters, _("Tidak ada pengaduan yang jatuh tempo atau terlambat."))


class SkmFollowUpsOpen:
    key = "skm-follow-ups"
    title = gettext_lazy("Tindak lanjut SKM yang masih terbuka")

    @tables_once
    def tables(self, request, filters: Filters) -> list[Table]:
        rows = selectors.follow_ups_open()
        return [
            Table(
                key="skm-follow-ups",
                title=str(self.title),
                columns=[_("Dibuka"), _("Layanan"), _("Unsur bernilai rendah"), _("Status")],
                rows=[
                    (
                        timezone.localdate(f.created_at),
                        f.response.service.name,
                        f.low_unsur,
                        str(f.get_status_display()),
                    )
                    for f in rows
                ],
            )
        ]

    def render(self, request, filters: Filters) -> str:
        return _render(self, request, filters, _("Tidak ada tindak lanjut SKM yang terbuka."))


complaints_due = ComplaintsDue()
skm_follow_ups_open = SkmFollowUpsOpen()
