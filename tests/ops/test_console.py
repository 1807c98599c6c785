"""Diskominfo's ops console over HTTP: the list of kecamatan and their figures, one kecamatan's
page, sending an undelivered message again, suspending and resuming, and who may do what."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tenants.utils import tenant_context

from sipentol.accounts.models import RegencyRole, Role
from sipentol.applications.models import Application
from sipentol.letters.models import SigningBatch, SigningBatchItem
from sipentol.notifications.models import OutboxMessage
from sipentol.ops.selectors import SORTS, error_without_personal_data
from sipentol.ops.tasks import snapshot_kecamatan_figures
from sipentol.regency.models import ApplicationFact, KecamatanSnapshot
from sipentol.regency.selectors import Period
from tenants.models import Kecamatan, OpsEvent
from tests.accounts.staff import PASSWORD, public_sign_in, sign_in
from tests.billing_and_quota.factories import counted
from tests.factories import (
    ApplicationFactory,
    LetterFactory,
    OutboxMessageFactory,
    RegencyUserFactory,
    StaffFactory,
)

pytestmark = pytest.mark.django_db


def _signed_in(client, role=RegencyRole.OPERATOR, prefix="/ops/"):
    user = RegencyUserFactory(role=role)
    return public_sign_in(client, user, prefix), user


_fact_ids = iter(range(700_000, 800_000))


def _fact(kecamatan, **fields) -> ApplicationFact:
    defaults = {
        "application_id": next(_fact_ids),
        "service_code": "domisili",
        "service_name": "Domisili",
        "channel": "online",
        "status": "submitted",
        "clock_running": True,
    }
    return ApplicationFact.objects.create(kecamatan=kecamatan, **(defaults | fields))


def _row(page: str, slug: str) -> str:
    start = page.index(f'data-slug="{slug}"')
    return page[start : page.index("</tr>", start)]


def _cell(html: str, css_class: str) -> str:
    match = re.search(rf'<td class="{css_class}">(.*?)</td>', html, re.S)
    assert match, f"no {css_class} cell"
    return re.sub(r"<[^>]+>", "", match.group(1)).strip()


def _recent(seconds: int) -> dt.datetime:
    """A moment this month, `seconds` ago (never before the month's start)."""
    return max(timezone.now() - dt.timedelta(seconds=seconds), Period.parse(None).start)


def test_it_lists_each_kecamatans_applications_backlog_overdue_activity_storage_and_undelivered_messages(
    jetis, mojosari, public_client
):
    # given Jetis: one overdue and one paused open application, one issued this month, one
    # rejected last month; and today's measurement of its schema
    today = timezone.localdate()
    _fact(jetis, submitted_at=_recent(40), due_date=today - dt.timedelta(days=3), status="in_review")
    _fact(
        jetis,
        submitted_at=_recent(30),
        due_date=today - dt.timedelta(days=3),
        status="needs_completion",
        clock_running=False,
    )
    closed = _recent(10)
    _fact(jetis, submitted_at=_recent(50), status="issued", closed_at=closed, issued_at=closed, clock_running=False)
    last_month = Period.parse(None).start - dt.timedelta(days=5)
    _fact(jetis, submitted_at=last_month, status="rejected", closed_at=last_month, clock_running=False)
    counted(jetis, 3)  # this month's three, as billing counts them when they are submitted
    KecamatanSnapshot.objects.create(
        kecamatan=jetis,
        day=today,
        storage_bytes=3 * 1024 * 1024,
        documents=7,
        undelivered_messages=2,
        failed_signings=0,
        measured_at=timezone.now(),
    )
    client, _user = _signed_in(public_client)

    page = client.get("/ops/").content.decode()

    jetis_row = _row(page, "jetis")
    assert _cell(jetis_row, "month") == "3"
    assert _cell(jetis_row, "backlog") == "2"
    assert _cell(jetis_row, "overdue") == "1"
    assert _cell(jetis_row, "activity") == timezone.localtime(closed).strftime("%Y-%m-%d %H:%M")
    assert "3,0\xa0MB" in jetis_row and "7 berkas" in jetis_row  # filesizeformat's non-breaking space
    assert _cell(jetis_row, "undelivered") == "2"
    assert "3 / 2000 permohonan (paket Standar)" in _cell(jetis_row, "usage")
    assert "Profil kantor" in jetis_row and "4 permohonan tercatat" in jetis_row
    mojosari_row = _row(page, "mojosari")
    assert (_cell(mojosari_row, "month"), _cell(mojosari_row, "backlog"), _cell(mojosari_row, "overdue")) == (
        "0",
        "0",
        "0",
    )
    assert _cell(mojosari_row, "activity") == "belum ada"
    assert _cell(mojosari_row, "undelivered") == "belum diukur"
    assert "aktif sejak" in jetis_row and "aktif sejak" in mojosari_row
    assert "aktif sejak" not in _row(page, "bangsal")  # still onboarding


def test_it_filters_the_list_by_status_and_sorts_it_by_backlog(jetis, mojosari, public_client):
    _fact(mojosari, submitted_at=_recent(5), status="in_review")
    client, _user = _signed_in(public_client)

    active = client.get("/ops/", {"status": "active"}).content.decode()
    by_backlog = client.get("/ops/", {"urut": "backlog"}).content.decode()

    assert re.findall(r'data-slug="([\w-]+)"', active) == ["jetis", "mojosari"]
    for key in SORTS:
        rows = re.findall(r'data-slug="([\w-]+)"', client.get("/ops/", {"urut": key}).content.decode())
        assert len(rows) == Kecamatan.objects.count(), key
    assert re.findall(r'data-slug="([\w-]+)"', by_backlog)[0] == "mojosari"
    assert len(re.findall(r'data-slug="([\w-]+)"', by_backlog)) == Kecamatan.objects.count()


def test_it_measures_stored_files_and_undelivered_messages_inside_each_kecamatan_hourly(jetis, mojosari, public_client):
    with tenant_context(jetis):
        application = ApplicationFactory()
        sizes = list(application.documents.values_list("size", flat=True))
        OutboxMessageFactory(status="dead")
        OutboxMessageFactory(status="failed")
        OutboxMessageFactory(status="sent", last_error="")

    snapshot_kecamatan_figures()

    snapshot = KecamatanSnapshot.objects.get(kecamatan=jetis, day=timezone.localdate())
    assert (snapshot.storage_bytes, snapshot.documents, snapshot.undelivered_messages) == (sum(sizes), len(sizes), 2)
    assert KecamatanSnapshot.objects.get(kecamatan=mojosari).undelivered_messages == 0
    assert KecamatanSnapshot.objects.count() == Kecamatan.objects.count()
    schedule = settings.CELERY_BEAT_SCHEDULE["ops-snapshot-kecamatan-figures"]
    assert (schedule["task"], schedule["schedule"]) == ("ops.snapshot_kecamatan_figures", 3600.0)
    client, _user = _signed_in(public_client)
    assert _cell(_row(client.get("/ops/").content.decode(), "jetis"), "undelivered") == "2"


def test_it_shows_a_kecamatans_months_recorded_errors_undelivered_messages_and_audit_trail(jetis, public_client):
    # given
    _fact(jetis, submitted_at=_recent(20), status="in_review")
    two_months_ago = Period.parse(None).previous.previous
    _fact(jetis, submitted_at=two_months_ago.start + dt.timedelta(days=2), status="in_review")
    KecamatanSnapshot.objects.create(
        kecamatan=jetis,
        day=two_months_ago.month,
        storage_bytes=2048,
        documents=1,
        undelivered_messages=5,
        failed_signings=1,
        measured_at=two_months_ago.start,
    )
    with tenant_context(jetis):
        message = OutboxMessageFactory(recipient="siti.aminah@contoh.id", recipient_masked="s***h@contoh.id")
        signer = StaffFactory(role=Role.CAMAT)
        item = SigningBatchItem.objects.create(
            batch=SigningBatch.objects.create(signer=signer),
            letter=LetterFactory(status="awaiting_signature"),
            state=SigningBatchItem.State.FAILED,
            error="sertifikat penandatangan kedaluwarsa",
            finished_at=timezone.now(),
        )
    OpsEvent.objects.create(kecamatan=jetis, actor="operator.lama", action="profile", reason="phone")
    client, _user = _signed_in(public_client, RegencyRole.HELPDESK)

    # when
    page = client.get("/ops/kecamatan/jetis/").content.decode()

    # then: 12 months, this one with its application, two months ago with its measurement
    months = re.findall(r'<tr data-month="(\d{4}-\d{2})">', page)
    assert len(months) == 12 and months[0] == Period.parse(None).key
    this_month = page[page.index(f'data-month="{months[0]}"') :]
    assert _cell(this_month, "submitted") == "1" and _cell(this_month, "open") == "2"  # with the older one
    older = page[page.index(f'data-month="{two_months_ago.key}"') :]
    assert (_cell(older, "undelivered"), _cell(older, "failed-signings"), _cell(older, "open")) == ("5", "1", "1")
    # the failed signing, and the undelivered message without its text or its recipient's address
    assert "sertifikat penandatangan kedaluwarsa" in page and f"letter:{item.letter_id}" in page
    undelivered = page[page.index('id="undelivered"') :]
    row = undelivered[undelivered.index(f'data-message="{message.pk}"') :]
    row = row[: row.index("</tr>")]
    assert "application_submitted" in row and "E-mail" in row and "s***h@contoh.id" in row
    assert "550 mailbox s***h@contoh.id unavailable" in row
    assert "siti.aminah" not in page and "Siti Aminah" not in page
    # a help desk account may send it again, not change the status
    assert f"/ops/kecamatan/jetis/pesan/{message.pk}/kirim-ulang/" in row
    assert 'action="/ops/kecamatan/jetis/status/"' not in page
    assert "operator.lama" in page[page.index('id="audit"') :]


def test_it_pages_a_kecamatans_audit_trail_25_rows_at_a_time(jetis, public_client):
    for n in range(30):
        OpsEvent.objects.create(kecamatan=jetis, actor=f"akun{n:02d}", action="profile")
    client, _user = _signed_in(public_client)

    first = client.get("/ops/kecamatan/jetis/").content.decode()
    second = client.get("/ops/kecamatan/jetis/", {"halaman": 2}).content.decode()

    assert "akun29" in first and "akun05" in first and "akun04" not in first
    assert "akun04" in second and "akun00" in second and "akun29" not in second
    assert "Halaman 2 dari 2" in second


def test_it_sends_an_undelivered_message_again_for_a_help_desk_account_and_audits_it_with_the_address(
    jetis, public_client
):
    with tenant_context(jetis):
        message = OutboxMessageFactory()
    client, user = _signed_in(public_client, RegencyRole.HELPDESK)

    response = client.post(f"/ops/kecamatan/jetis/pesan/{message.pk}/kirim-ulang/", REMOTE_ADDR="203.0.113.9")

    assert response.status_code == 302 and response["Location"] == "/ops/kecamatan/jetis/"
    with tenant_context(jetis):
        message.refresh_from_db()
    assert message.status == OutboxMessage.Status.PENDING and message.next_attempt_at <= timezone.now()
    event = OpsEvent.objects.get(action="retry_message")
    assert (event.kecamatan, event.actor, event.ip_address, event.target) == (
        jetis,
        user.username,
        "203.0.113.9",
        f"message:{message.pk}",
    )
    assert message.recipient not in str(event.details) and message.body not in str(event.details)
    assert f"Pesan {message.pk} diantrekan untuk dikirim ulang." in client.get("/ops/kecamatan/jetis/").content.decode()


def test_it_sends_nothing_again_for_a_delivered_message_nor_for_another_kecamatans(jetis, mojosari, public_client):
    with tenant_context(jetis):
        sent = OutboxMessageFactory(status="sent", last_error="")
        failed = OutboxMessageFactory()
    client, _user = _signed_in(public_client)

    delivered = client.post(f"/ops/kecamatan/jetis/pesan/{sent.pk}/kirim-ulang/", follow=True)
    elsewhere = client.post(f"/ops/kecamatan/mojosari/pesan/{failed.pk}/kirim-ulang/")

    assert "sudah tidak gagal lagi" in delivered.content.decode()
    assert elsewhere.status_code == 302
    with tenant_context(jetis):
        assert OutboxMessage.objects.get(pk=failed.pk).status == OutboxMessage.Status.DEAD
    assert not OpsEvent.objects.filter(action="retry_message").exists()


def test_it_refuses_a_retry_to_a_leader(jetis, public_client):
    with tenant_context(jetis):
        message = OutboxMessageFactory()
    leader = RegencyUserFactory(role=RegencyRole.LEADER)
    public_sign_in(public_client, leader, "/dashboard/")

    response = public_client.post(f"/ops/kecamatan/jetis/pesan/{message.pk}/kirim-ulang/")

    assert response.status_code in (302, 403)
    with tenant_context(jetis):
        assert OutboxMessage.objects.get(pk=message.pk).status == OutboxMessage.Status.DEAD
    assert not OpsEvent.objects.filter(action="retry_message").exists()


def test_it_refuses_a_suspension_without_a_reason_with_a_message_and_changes_nothing(jetis, public_client):
    client, _user = _signed_in(public_client)
    events_before = OpsEvent.objects.count()

    response = client.post("/ops/kecamatan/jetis/status/", {"status": "suspended", "reason": "  "}, follow=True)

    assert response.redirect_chain[-1][0] == "/ops/kecamatan/jetis/"
    assert "tulis alasan perubahan status" in response.content.decode()
    assert Kecamatan.objects.get(pk=jetis.pk).status == Kecamatan.Status.ACTIVE
    assert OpsEvent.objects.count() == events_before


def test_it_suspends_with_a_reason_so_citizens_get_the_503_page_and_the_data_stays_then_resumes(
    jetis, jetis_client, public_client
):
    # given
    Kecamatan.objects.filter(pk=jetis.pk).update(phone="(0321) 361234")
    with tenant_context(jetis):
        application = ApplicationFactory()
    client, user = _signed_in(public_client)

    # when suspended
    suspended = client.post(
        "/ops/kecamatan/jetis/status/", {"status": "suspended", "reason": "pemeliharaan"}, REMOTE_ADDR="198.51.100.4"
    )

    # then
    assert suspended.status_code == 302 and suspended["Location"] == "/ops/kecamatan/jetis/"
    citizen = jetis_client.get("/")
    assert citizen.status_code == 503 and "(0321) 361234" in citizen.content.decode()
    with tenant_context(jetis):
        assert Application.objects.filter(pk=application.pk).exists()

    # when resumed
    client.post("/ops/kecamatan/jetis/status/", {"status": "active", "reason": "pemeliharaan selesai"})

    # then
    assert jetis_client.get("/").status_code == 200
    events = list(OpsEvent.objects.filter(kecamatan=jetis, action="status").order_by("at"))
    assert [(e.from_status, e.to_status, e.reason) for e in events] == [
        ("active", "suspended", "pemeliharaan"),
        ("suspended", "active", "pemeliharaan selesai"),
    ]
    assert {e.actor for e in events} == {user.username}
    assert events[0].ip_address == "198.51.100.4" and events[1].ip_address == "127.0.0.1"


def test_it_shows_a_leader_no_kecamatan_page(jetis, public_client):
    leader = RegencyUserFactory(role=RegencyRole.LEADER)
    public_sign_in(public_client, leader, "/dashboard/")

    response = public_client.get("/ops/kecamatan/jetis/")

    assert response.status_code == 403 or "/ops/masuk/" in response["Location"]


def test_it_gives_a_kecamatan_admin_no_access_to_the_console_nor_to_another_kecamatan(jetis, mojosari):
    with tenant_context(jetis):
        admin = StaffFactory(role=Role.ADMIN)
    browser = sign_in(jetis, admin.username)
    assert browser.get("/kantor/").status_code == 200  # signed in on their own host

    console = browser.get("/ops/", HTTP_HOST="localhost")
    sign_in_there = browser.post(
        "/ops/masuk/", {"username": admin.username, "password": PASSWORD}, HTTP_HOST="localhost"
    )
    other_office = browser.get("/kantor/", HTTP_HOST="mojosari.localhost")

    assert console.status_code == 302 and console["Location"].startswith("/ops/masuk/")
    # the form again with an error, not the second factor: no such account in the public schema
    assert sign_in_there.status_code == 400 and "Location" not in sign_in_there
    assert other_office.status_code == 302 and other_office["Location"].startswith("/kantor/masuk/")


def test_it_shows_an_error_without_any_address_or_phone_number_it_quotes():
    error = "refused siti@contoh.id, forwarded to budi.s@contoh.id and +62 812-3456-7890"

    shown = error_without_personal_data(error, recipient="siti@contoh.id", masked="s***i@contoh.id")

    assert shown == "refused s***i@contoh.id, forwarded to ***@*** and ***"


def test_it_builds_the_list_from_public_tables_without_reading_any_kecamatans_own_tables(jetis, public_client):
    client, _user = _signed_in(public_client)

    with CaptureQueriesContext(connection) as queries:
        assert client.get("/ops/").status_code == 200

    per_kecamatan_tables = ("applications_", "notifications_", "letters_", "feedback_")
    assert not [q["sql"] for q in queries.captured_queries if any(t in q["sql"] for t in per_kecamatan_tables)]
    assert len(queries) < 30  # a fixed number, whatever the number of kecamatan (18 here)


def test_it_shows_each_kecamatans_go_live_progress_as_the_hourly_measurement_found_it(jetis, mojosari, public_client):
    from tenants.golive import checklist

    expected = checklist(mojosari)
    connection.set_schema_to_public()

    snapshot_kecamatan_figures()

    snapshot = KecamatanSnapshot.objects.get(kecamatan=mojosari, day=timezone.localdate())
    assert (snapshot.golive_done, snapshot.golive_total) == (sum(s.done for s in expected), len(expected))
    client, _user = _signed_in(public_client)
    row = _row(client.get("/ops/").content.decode(), "mojosari")
    assert f"Daftar periksa go-live: {snapshot.golive_done}/{snapshot.golive_total}" in row
    assert "/ops/kecamatan/mojosari/siap-layanan/" in row
