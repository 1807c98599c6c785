"""The boards' downloads: a table as Excel or CSV (lib/exports.py writes them), the monthly recap
workbook of one kecamatan, and the export jobs that write the large ones in the background.

Small tables download at once. The recap workbook, and a table longer than EXPORT_SYNC_ROWS,
are written by the Celery task `regency.export_run` into object storage (lib/storage.py, under
the asking host's schema) while the page shows a progress bar; the file is served only to the
account that asked (`ExportJob.schema_name` + `user_id`).
"""

from __future__ import annotations

import io

from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _

from sipentol.lib import dashboards, exports, storage

from .boards import parse_filters
from .models import ExportJob
from .selectors import Period, recap_facts

# A table with more rows than this is written by a task: an Excel sheet of 50,000 rows takes
# seconds, and a request must answer before the ingress's timeout.
EXPORT_SYNC_ROWS = 5000


def recap_tables(*, kecamatan_id: int, month: Period) -> list[dashboards.Table]:
    """One table per service, one row per application submitted or closed in the month: the
    recap a kecamatan reports upward (it replaces the hand-made Excel)."""
    columns = [
        _("Kode permohonan"),
        _("Tanggal masuk"),
        _("Tanggal selesai"),
        _("Hari kerja"),
        _("Status"),
        _("SKM diisi"),
    ]
    yes, no = _("Ya"), _("Tidak")
    tables = []
    for index, (service, facts) in enumerate(recap_facts(kecamatan_id=kecamatan_id, month=month).items()):
        rows = [
            [
                fact.tracking_code or f"#{fact.application_id}",
                timezone.localdate(fact.submitted_at) if fact.submitted_at else None,
                timezone.localdate(fact.closed_at) if fact.closed_at else None,
                fact.working_days_taken,
                fact.status,
                yes if fact.skm_total is not None else no,
            ]
            for fact in facts
        ]
        tables.append(dashboards.Table(key=f"rekap-{index}", title=service, columns=columns, rows=rows))
    if not tables:
        tables.append(dashboards.Table(key="rekap", title=_("Tidak ada permohonan"), columns=columns))
    return tables


def recap_describe(*, kecamatan_name: str, month: Period) -> list[tuple[str, str]]:
    return [
        ("kecamatan", kecamatan_name),
        ("bulan", month.key),
        ("dibuat", timezone.localtime().strftime("%Y-%m-%d %H:%M")),
    ]


def export_job_for(*, user, pk) -> ExportJob | None:
    """The job, if this account on this host asked for it; None otherwise (the view answers 404)."""
    return ExportJob.objects.filter(pk=pk, schema_name=connection.schema_name, user_id=user.pk).first()


def _progress(job: ExportJob):
    def report(done: int, total: int) -> None:
        ExportJob.objects.filter(pk=job.pk).update(done=done, total=total)

    return report


def export_job_execute(*, job_id: str) -> ExportJob:
    """Write the job's workbook into storage. Idempotent: a finished job is left as it is; a
    retried one writes its file again. Runs in the schema that queued it (tenant-schemas-celery)."""
    job = ExportJob.objects.get(pk=job_id)
    if job.finished:
        return job
    ExportJob.objects.filter(pk=job.pk).update(status=ExportJob.Status.RUNNING)
    try:
        if job.kind == ExportJob.Kind.RECAP:
            month = Period.parse(job.params["bulan"])
            tables = recap_tables(kecamatan_id=job.params["kecamatan_id"], month=month)
            describe = recap_describe(kecamatan_name=job.params["kecamatan_name"], month=month)
        else:
            filters, _errors = parse_filters(
                job.params["query"], kecamatan_id=connection.tenant.pk if job.board == "camat" else None
            )
            table = dashboards.table(job.board, job.params["key"], None, filters)
            tables = [table] if table is not None else []
            describe = filters.describe()
        if job.extension == "csv":
            data = exports.csv_bytes(tables[0])
            content_type = exports.CSV_CONTENT_TYPE
        else:
            data = exports.xlsx_bytes(tables, describe, progress=_progress(job))
            content_type = exports.XLSX_CONTENT_TYPE
        key = storage.put(io.BytesIO(data), content_type=content_type, length=len(data))
    except Exception:
        ExportJob.objects.filter(pk=job.pk).update(status=ExportJob.Status.FAILED, finished_at=timezone.now())
        raise
    ExportJob.objects.filter(pk=job.pk).update(status=ExportJob.Status.DONE, object_key=key, finished_at=timezone.now())
    job.refresh_from_db()
    return job
