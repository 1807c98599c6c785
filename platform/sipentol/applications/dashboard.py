"""The applications' section of the Camat's board (lib/dashboards.py): workload and overdue per
staff member. Registered in `ApplicationsConfig.ready()`; the board (regency/staff_views.py)
shows it without importing this app."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sipentol.lib.dashboard_html import table_html
from sipentol.lib.dashboards import Filters, Table, tables_once

from .selectors import workload_by_staff


class WorkloadSection:
    """Open applications per staff member today and how many of them are overdue (lib/sla.py),
    whatever the period: the work on each desk now."""

    key = "beban-petugas"
    title = gettext_lazy("Beban kerja petugas hari ini")

    @tables_once
    def tables(self, request, filters: Filters) -> list[Table]:
        rows = []
        for row in workload_by_staff(today=filters.today):
            username = row["assigned_to__username"]
            full_name = " ".join(filter(None, [row["assigned_to__first_name"], row["assigned_to__last_name"]]))
            name = full_name or username or _("Belum ditugaskan")
            rows.append([name, username or "", row["open"], row["overdue"]])
        return [
            Table(
                key=self.key,
                title=str(self.title),
                columns=[_("Petugas"), _("Nama pengguna"), _("Dalam proses"), _("Lewat batas waktu")],
                rows=rows,
            )
        ]

    def render(self, request, filters: Filters) -> str:
        return table_html(self.tables(request, filters)[0], empty=_("Tidak ada permohonan dalam proses."))


SECTION = WorkloadSection()
