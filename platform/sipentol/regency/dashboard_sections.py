"""The regency board's complaint section: open, due and overdue complaints per kecamatan.

Figures come from the complaint facts (public schema) judged by the one complaint clock
(`lib/complaint_clock.py`); the regency never reads a kecamatan's schema on a request.
Registered in `RegencyConfig.ready()` on the "regency" board of `lib/dashboards.py`.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sipentol.lib.dashboard_html import table_html
from sipentol.lib.dashboards import Filters, Table, tables_once

from .selectors import complaints_by_kecamatan


class ComplaintsByKecamatan:
    key = "complaints"
    title = gettext_lazy("Pengaduan terbuka, jatuh tempo dan terlambat per kecamatan")

    @tables_once
    def tables(self, request, filters: Filters) -> list[Table]:
        rows = complaints_by_kecamatan(today=filters.today, kecamatan_id=filters.kecamatan_id)
        return [
            Table(
                key="complaints-by-kecamatan",
                title=str(self.title),
                columns=[_("Kecamatan"), _("Terbuka"), _("Jatuh tempo"), _("Terlambat")],
                rows=[(r["kecamatan"].name, r["open"], r["due"], r["overdue"]) for r in rows],
            )
        ]

    def render(self, request, filters: Filters) -> str:
        [table] = self.tables(request, filters)
        return table_html(table, empty=_("Tidak ada pengaduan terbuka."))


complaints_section = ComplaintsByKecamatan()
