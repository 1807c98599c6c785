"""The desa's response time per desa on the regency dashboard, from public facts only."""

from __future__ import annotations

from statistics import median

from django.utils.translation import gettext as _

from sipentol.lib.dashboard_html import table_html
from sipentol.lib.dashboards import Filters, Table, tables_once
from tenants.models import Desa, Kecamatan

from .models import DesaPengantarFact

OPEN = ("requested", "drafted")


def desa_response_rows(filters: Filters) -> list[list]:
    """[kecamatan, desa, asked, signed, refused, open, late, median, mean, max] per desa."""
    facts = DesaPengantarFact.objects.filter(requested_at__gte=filters.start, requested_at__lt=filters.end)
    if filters.kecamatan_id:
        facts = facts.filter(kecamatan_id=filters.kecamatan_id)
    desa = {d.code: (d.kecamatan_id, d.name) for d in Desa.objects.all()}
    kecamatan = dict(Kecamatan.objects.values_list("pk", "name"))
    rows: dict[str, dict] = {}
    for code, status, due, taken in facts.values_list("desa_code", "status", "due_date", "working_days_taken"):
        row = rows.setdefault(code, {"asked": 0, "signed": 0, "refused": 0, "open": 0, "late": 0, "days": []})
        row["asked"] += 1
        row["signed"] += status == "signed"
        row["refused"] += status == "refused"
        if status in OPEN:
            row["open"] += 1
            row["late"] += due < filters.today
        if taken is not None:
            row["days"].append(taken)
    result = []
    for code, row in rows.items():
        kecamatan_id, name = desa.get(code, (None, code))
        days = row["days"]
        result.append(
            [
                kecamatan.get(kecamatan_id, ""),
                name,
                row["asked"],
                row["signed"],
                row["refused"],
                row["open"],
                row["late"],
                median(days) if days else None,
                round(sum(days) / len(days), 1) if days else None,
                max(days) if days else None,
            ]
        )
    return sorted(result, key=lambda r: (r[0], r[1]))


class RegencyDesaResponseSection:
    key = "desa-pengantar"

    @property
    def title(self) -> str:
        return _("Waktu jawab surat pengantar desa")

    @tables_once
    def tables(self, request, filters: Filters) -> list[Table]:
        return [
            Table(
                key="desa-pengantar",
                title=self.title,
                columns=[
                    _("Kecamatan"),
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
                rows=desa_response_rows(filters),
            )
        ]

    def render(self, request, filters: Filters) -> str:
        return table_html(
            self.tables(request, filters)[0], empty=_("Belum ada permintaan pengantar dalam periode ini.")
        )
