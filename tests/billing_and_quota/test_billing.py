"""Quotas that mean something: overage instead of refusal, notices at 80% and 100% once, the seat
limit, storage measured in the object store, the admin's usage page, monthly statements."""

from __future__ import annotations

import csv
import datetime as dt
import io

from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.utils import timezone
from django_tenants.utils import tenant_context
from pypdf import PdfReader

from billing_and_quota import tasks
from billing_and_quota.models import MeasuredUsage, Overage, Plan, QuotaNotice, Statement
from billing_and_quota.selectors import previous_month
from billing_and_quota.services import usage_measure
from billing_and_quota.statements import first_working_day, statements_due
from sipentol.accounts.models import RegencyRole, Role
from sipentol.applications.models import Application
from sipentol.lib import storage
from sipentol.lib.metering import Quota
from sipentol.notifications.models import OutboxMessage
from tenants.models import OpsEvent
from tests.accounts.staff import public_sign_in, sign_in
from tests.factories import RegencyUserFactory, StaffFactory
from tests.regency.helpers import submit

from .factories import counted, on_plan


def _admin(kecamatan, username: str, email: str = ""):
    with tenant_context(kecamatan):
        StaffFactory(username=username, role=Role.ADMIN, email=email)
    return sign_in(kecamatan, username)


def _ops_client(public_client):
    ops = RegencyUserFactory(username="ops-tagihan", role=RegencyRole.DISKOMINFO_ADMIN, totp_enrolled=False)
    return public_sign_in(public_client, ops, "/ops/")


def test_it_accepts_the_citizen_beyond_the_quota_and_records_the_overage_with_that_application(
    jetis, jetis_client, mojosari
):
    on_plan(jetis, monthly_application_quota=1)
    first = submit(jetis, jetis_client)

    second = submit(jetis, jetis_client)  # the helper asserts the citizen's 302 to the tracking page

    with tenant_context(jetis):
        assert Application.objects.get(pk=second.pk).status == "submitted"
    overage = Overage.objects.get(kecamatan=jetis)
    assert (overage.quota, overage.application_id, overage.tracking_code) == (
        Quota.APPLICATIONS,
        second.pk,
        second.tracking_code,
    )
    assert (overage.used, overage.limit) == (2, 1)
    assert first.tracking_code != second.tracking_code
    assert not Overage.objects.filter(kecamatan=mojosari).exists()


def test_it_sends_the_80_and_100_percent_notices_exactly_once_each_when_the_check_runs_twice(jetis, settings):
    settings.BILLING_NOTICE_EMAIL = "diskominfo@example.go.id"
    on_plan(jetis, monthly_application_quota=5)
    with tenant_context(jetis):
        StaffFactory(username="admin-kuota", role=Role.ADMIN, email="admin.jetis@example.go.id")
    connection.set_schema_to_public()
    counted(jetis, 4)

    tasks.daily_usage_check()
    tasks.daily_usage_check()
    counted(jetis, 1)
    tasks.daily_usage_check()
    tasks.daily_usage_check()

    notices = QuotaNotice.objects.filter(kecamatan=jetis, quota=Quota.APPLICATIONS)
    assert sorted(notices.values_list("threshold", flat=True)) == [80, 100]
    with tenant_context(jetis):
        sent = list(OutboxMessage.objects.filter(template="quota_notice").values_list("recipient", "subject"))
    assert sorted(sent) == sorted(
        [
            ("admin.jetis@example.go.id", "Kuota Permohonan per bulan Kecamatan Jetis sudah 80%"),
            ("diskominfo@example.go.id", "Kuota Permohonan per bulan Kecamatan Jetis sudah 80%"),
            ("admin.jetis@example.go.id", "Kuota Permohonan per bulan Kecamatan Jetis sudah 100%"),
            ("diskominfo@example.go.id", "Kuota Permohonan per bulan Kecamatan Jetis sudah 100%"),
        ]
    )


def test_it_measures_storage_from_the_objects_under_the_kecamatans_prefix(jetis, mojosari):
    with tenant_context(mojosari):
        mojosari_before = storage.prefix_size()
    with tenant_context(jetis):
        before = storage.prefix_size()
        for size in (1000, 2500, 70_000):
            storage.put(io.BytesIO(b"x" * size), content_type="application/octet-stream", length=size)

        levels = usage_measure(kecamatan=jetis)
    with tenant_context(mojosari):
        usage_measure(kecamatan=mojosari)

    assert levels[Quota.STORAGE] == before + 73_500
    assert MeasuredUsage.objects.get(kecamatan=jetis, quota=Quota.STORAGE).value == before + 73_500
    assert MeasuredUsage.objects.get(kecamatan=mojosari, quota=Quota.STORAGE).value == mojosari_before


def test_it_refuses_a_staff_seat_beyond_the_plan_with_a_message_on_the_staff_page(jetis):
    client = _admin(jetis, "admin-kursi")
    with tenant_context(jetis):
        active = get_user_model().objects.filter(is_active=True, staff__isnull=False).count()
        StaffFactory(username="nonaktif", is_active=False)
    on_plan(jetis, staff_seats=active)
    connection.set_schema_to_public()

    created = client.post(
        "/kantor/petugas/tambah/", {"username": "baru", "full_name": "Petugas Baru", "role": Role.VERIFIER}
    )
    with tenant_context(jetis):
        idle = get_user_model().objects.get(username="nonaktif")
    reactivated = client.post(f"/kantor/petugas/{idle.pk}/aktif/", {"active": "1"}, follow=True)

    assert created.status_code == 400
    message = f"Semua {active} akun petugas aktif dalam paket kecamatan ini sudah terpakai."
    assert message in created.content.decode()
    assert message in reactivated.content.decode()
    with tenant_context(jetis):
        assert not get_user_model().objects.filter(username="baru").exists()
        assert not get_user_model().objects.get(username="nonaktif").is_active


def test_it_shows_the_admin_their_own_usage_and_overage_only(jetis, mojosari):
    on_plan(jetis, name="Kecil", monthly_application_quota=2)
    counted(jetis, 3)
    counted(mojosari, 1)
    jetis_admin = _admin(jetis, "admin-pakai")
    mojosari_admin = _admin(mojosari, "admin-mojosari")

    page = jetis_admin.get("/kantor/pemakaian/").content.decode()
    other = mojosari_admin.get("/kantor/pemakaian/").content.decode()

    assert "paket Kecil" in page and "<td>3</td><td>2</td>" in page and "150%" in page
    overage = Overage.objects.get(kecamatan=jetis)
    assert overage.tracking_code in page
    assert "paket Standar" in other and overage.tracking_code not in other and "<td>1</td><td>2000</td>" in other
    with tenant_context(jetis):
        StaffFactory(username="verifikator-pakai", role=Role.VERIFIER)
    assert sign_in(jetis, "verifikator-pakai").get("/kantor/pemakaian/").status_code == 403


def test_it_makes_last_months_statements_on_the_first_working_day_once(jetis, mojosari, public_client):
    on_plan(jetis, name="Kecil", monthly_application_quota=2)
    this_month = timezone.localdate().replace(day=1)
    last_month = previous_month(this_month)
    at = timezone.make_aware(dt.datetime.combine(last_month + dt.timedelta(days=3), dt.time(10)))
    counted(jetis, 3, at=at)
    counted(jetis, 1, quota=Quota.LETTERS, at=at)
    tracking = Overage.objects.get(kecamatan=jetis).tracking_code
    first_day = first_working_day(this_month)

    before = statements_due(today=first_day - dt.timedelta(days=1)) if first_day > this_month else []
    made = statements_due(today=first_day)
    again = statements_due(today=first_day + dt.timedelta(days=1))

    assert before == [] and again == []
    assert len(made) == 18 * 2 + 1
    pdf = Statement.objects.get(kecamatan=jetis, period=last_month, kind=Statement.Kind.PDF)
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(storage.get(pdf.key))).pages)
    assert "Jetis" in text and "Kecil" in text and tracking in text and f"{last_month:%Y-%m}" in text
    assert "Permohonan per bulan 3 2 150 1" in " ".join(text.split())
    rows = list(
        csv.reader(io.StringIO(storage.get(Statement.objects.get(kecamatan=jetis, kind="csv").key).decode("utf-8-sig")))
    )
    assert ["applications", "3", "2", "150", "1"] in rows and ["letters", "1", "5", "20", "0"] in rows
    assert any(row[:2] == ["applications", tracking] for row in rows)
    summary = list(
        csv.DictReader(io.StringIO(storage.get(Statement.objects.get(kecamatan=None).key).decode("utf-8-sig")))
    )
    assert len(summary) == 18
    jetis_row = next(r for r in summary if r["kode"] == jetis.code)
    assert (jetis_row["paket"], jetis_row["applications_pemakaian"], jetis_row["applications_kelebihan"]) == (
        "Kecil",
        "3",
        "1",
    )

    client = _ops_client(public_client)
    listing = client.get("/ops/tagihan/").content.decode()
    download = client.get(f"/ops/tagihan/laporan/{pdf.pk}/")
    assert f"tagihan-jetis-{last_month:%Y-%m}.pdf" in listing
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"%PDF")


def test_it_lets_diskominfo_edit_a_plan_on_the_console(jetis, public_client):
    client = _ops_client(public_client)
    plan = Plan.objects.get(is_default=True)
    fields = {
        "name": plan.name,
        "monthly_application_quota": 3000,
        "monthly_letter_quota": 2500,
        "storage_quota_gb": 80,
        "staff_seats": 30,
        "monthly_whatsapp_quota": 6000,
        "is_default": "on",
    }

    response = client.post(f"/ops/tagihan/paket/{plan.pk}/", fields)

    assert response.status_code == 302
    plan.refresh_from_db()
    assert (plan.monthly_application_quota, plan.staff_seats, plan.is_default) == (3000, 30, True)
    assert OpsEvent.objects.filter(action="plan_saved", target=f"plan:{plan.name}", actor="ops-tagihan").exists()
    helpdesk = RegencyUserFactory(username="bantuan-tagihan", role=RegencyRole.HELPDESK)
    other = public_sign_in(Client(HTTP_HOST="localhost"), helpdesk, "/ops/")
    assert other.post(f"/ops/tagihan/paket/{plan.pk}/", {**fields, "staff_seats": 1}).status_code == 403
    plan.refresh_from_db()
    assert plan.staff_seats == 30
