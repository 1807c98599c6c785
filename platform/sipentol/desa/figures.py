"""The desa's response time per desa, as a section of the Camat's dashboard (lib/dashboards.py).

The same figures as the regency board's (one home: `sipentol.desa_facts.sections.
desa_response_rows`, from the public facts), for this kecamatan only and without its name."""

from __future__ import annotations

import dataclasses

from django.db import connection
from django.utils.translation import gettext as _

from sipentol.desa_facts.sections import desa_response_rows
from sipentol.lib.dashboard_html import table_html
from sipentol.lib.dashboards import Filters, Table, tables_once


class DesaResponseSection:
    key = "desa-pengantar"

    @property
    def title(self) -> str:
        return _("Waktu jawab surat pengantar desa")

    @tables_once
    def tables(self, request, filters: Filters) -> list[Table]:
        own = dataclasses.replace(filters, kecamatan_id=connection.tenant.pk)
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
                rows=[row[1:] for row in desa_response_rows(own)],
            )
        ]

    def render(self, request, filters: Filters) -> str:
        return table_html(
            self.tables(request, filters)[0], empty=_("Belum ada permintaan pengantar dalam periode ini.")
        )
