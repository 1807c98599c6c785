"""The monthly recap workbook of a kecamatan, written by the real Celery worker into object
storage while the page shows its progress, then read back with openpyxl."""

from __future__ import annotations

import datetime as dt
import io
import time
import uuid

import openpyxl
import pytest
from django.db import connection
from django.utils import timezone

from sipentol.accounts.models import RegencyRole
from sipentol.regency.models import ApplicationFact, ExportJob
from tenants.models import Kecamatan
from tests.accounts.staff import public_sign_in
from tests.factories import RegencyUserFactory

pytestmark = pytest.mark.slow


@pytest.fixture
def committed_recap(django_db_setup, django_db_blocker):
    """Facts and a leader committed (the worker is another process); deleted afterwards."""
    with django_db_blocker.unblock():
        connection.set_schema_to_public()
        jetis = Kecamatan.objects.get(slug="jetis")
        now = timezone.now()
        rows = [
            dict(
                application_id=900_001,
                service_code="domisili",
                service_name="Surat Keterangan Domisili",
                status="issued",
                submitted_at=now,
                closed_at=now,
                issued_at=now,
                working_days_taken=2,
                on_time=True,
                skm_total=30,
                rated_at=now,
                tracking_code="REKAP-1",
            ),
            dict(
                application_id=900_002,
                service_code="domisili",
                service_name="Surat Keterangan Domisili",
                status="in_review",
                submitted_at=now,
                tracking_code="REKAP-2",
                clock_running=True,
                due_date=timezone.localdate() + dt.timedelta(days=3),
            ),
            dict(
                application_id=900_003,
                service_code="sktm",
                service_name="Surat Keterangan Tidak Mampu",
                status="submitted",
                submitted_at=now,
                tracking_code="REKAP-3",
                clock_running=True,
            ),
        ]
        facts = [ApplicationFact.objects.create(kecamatan=jetis, channel="online", **row) for row in rows]
        # Left in the database afterwards: deleting a user from the public schema would look for the
        # kecamatan-only tables that point at users.
        user = RegencyUserFactory(
            username=f"pimpinan-rekap-{uuid.uuid4().hex[:6]}", role=RegencyRole.LEADER, totp_enrolled=False
        )
        try:
            yield jetis, user
        finally:
            connection.set_schema_to_public()
            ExportJob.objects.filter(user_id=user.pk, schema_name="public").delete()
            ApplicationFact.objects.filter(pk__in=[f.pk for f in facts]).delete()


def test_the_worker_writes_the_recap_one_sheet_per_service_one_row_per_application(
    committed_recap, celery_worker_process, django_db_blocker
):
    jetis, user = committed_recap
    from django.test import Client

    with django_db_blocker.unblock():
        client = public_sign_in(Client(HTTP_HOST="localhost"), user)
        form = client.get("/dashboard/rekap/").content.decode()
        assert f'<option value="{jetis.pk}">{jetis.name}</option>' in form

        # when the leader asks for this month's recap of Jetis
        month = timezone.localdate().strftime("%Y-%m")
        response = client.post("/dashboard/rekap/", {"kecamatan": jetis.pk, "bulan": month})

        # then a page with a progress bar follows the job until the file is ready
        assert response.status_code == 302
        page = client.get(response["Location"]).content.decode()
        assert "<progress" in page
        job = ExportJob.objects.get(user_id=user.pk)
        deadline = time.monotonic() + 60
        while not job.finished and time.monotonic() < deadline:
            time.sleep(0.5)
            job.refresh_from_db()
        assert job.status == ExportJob.Status.DONE and job.percent == 100
        assert "Unduh berkas" in client.get(response["Location"]).content.decode()
        download = client.get(f"/dashboard/ekspor/{job.pk}/unduh/")
        workbook = openpyxl.load_workbook(io.BytesIO(b"".join(download.streaming_content)))
        bad = client.post("/dashboard/rekap/", {"kecamatan": "x", "bulan": "1999-01"}).content.decode()

    assert download["Content-Disposition"] == f'attachment; filename="rekap-{jetis.name}-{month}.xlsx"'
    # one sheet per service (other tests may have committed Jetis applications of their own)
    assert {"Surat Keterangan Domisili", "Surat Keterangan Tidak Mampu"} <= set(workbook.sheetnames)
    rows = [[c.value for c in row] for row in workbook["Surat Keterangan Domisili"].iter_rows()]
    assert rows[0][0] == "Surat Keterangan Domisili"
    assert rows[1][:2] == ["kecamatan", jetis.name] and ["bulan", month] == rows[2][:2]
    header = rows.index(["Kode permohonan", "Tanggal masuk", "Tanggal selesai", "Hari kerja", "Status", "SKM diisi"])
    issued, open_ = [row for row in rows[header + 1 :] if str(row[0]).startswith("REKAP-")]
    today = dt.datetime.combine(timezone.localdate(), dt.time.min)
    assert issued == ["REKAP-1", today, today, 2, "issued", "Ya"]
    assert open_ == ["REKAP-2", today, None, None, "in_review", "Tidak"]
    assert "Pilih kecamatan dan bulan dari daftar, lalu buat rekap lagi." in bad
