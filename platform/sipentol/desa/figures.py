"""The desa's response time per desa, as a section of the Camat's dashboard (lib/dashboards.py).

Read in the kecamatan's own schema (the Camat's board); the regency board's section reads the
public facts instead (`sipentol.desa_facts.sections`)."""

from __future__ import annotations

from django.db import connection
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from sipentol.lib.dashboards import Filters, Table

from .selectors import desa_response_times


class DesaResponseSection:
    key = "desa-pengantar"

    @property
    def title(self) -> str:
        return _("Waktu jawab surat pengantar desa")

    def _rows(self, filters: Filters) -> list[dict]:
        return desa_response_times(
            kecamatan=connection.tenant, start=filters.start, end=filters.end, today=filters.today
        )

    def tables(self, request, filters: Filters) -> list[Table]:
        rows = self._rows(filters)
        return [
            Table(
                key="desa-pengantar",
                title=self.title,
                columns=[
                    _("Desa/kelurahan"),
                    _("Diminta"),
                    _("Ditandatangani"),
                    _("Ditolak"),
                    _("Belum dijawab"),
                    _("Lewat batas waktu"),
                    _("Median hari kerja"),
                    _("Rata-rata hari kerja"),
                    _("Terlama (hari kerja)"),
                ],
                rows=[
                    [
                        r["desa"],
                        r["asked"],
                        r["signed"],
                        r["refused"],
                        r["open"],
                        r["late"],
                        r["median_days"],
                        r["mean_days"],
                        r["max_days"],
                    ]
                    for r in rows
                ],
            )
        ]

    def render(self, request, filters: Filters) -> str:
        return render_to_string(
            "desa/_dashboard_section.html", {"section": self, "table": self.tables(request, filters)[0]}
        )
