"""Staff alerts (docs/staff_alerts.md), delivered through the real SMTP server and the WhatsApp
stand-in: the verifier on a new or completed application, the Camat's and Sekcam's daily digest
of letters waiting for signature, the SLA warning and the Sekcam's list of lapsed applications
(on the exact working day, across a holiday), quiet hours, the unsubscribe link and the page."""

from __future__ import annotations

import datetime as dt
import re
import uuid

import pytest
from django.db import connection, transaction
from django.test import Client
from django.utils import timezone
from django_tenants.utils import tenant_context

from services_catalog.configured.models import KecamatanService
from sipentol.accounts.alerts import alert_preferences, alert_preferences_set
from sipentol.accounts.models import AlertType, Role, StaffEvent
from sipentol.applications import alerts, services
from sipentol.applications.models import Application, Status
from sipentol.letters.alerts import signing_digest_send
from sipentol.letters.models import Letter
from sipentol.lib.quiethours import quiet_until
from sipentol.lib.workdays import is_working_day
from sipentol.notifications.models import OutboxMessage
from sipentol.notifications.selectors import outbox_due_ids
from sipentol.notifications.services import outbox_deliver
from tests.accounts.staff import staff_client
from tests.applications.conftest import NIK_MAN, apply_payload
from tests.conftest import JETIS_HOST, MOJOSARI_HOST
from tests.factories import ApplicationFactory, LetterFactory, StaffFactory

UNSUBSCRIBE = re.compile(r"https?://\S+/kantor/pemberitahuan/berhenti/(\S+)/")
# 17 August 2026 (Independence Day) is a Monday: a working-day rule and a weekday rule differ here.
HOLIDAY = dt.date(2026, 8, 17)


@pytest.fixture(autouse=True)
def _no_quiet_hours(settings):
    """Alerts go at once unless a test sets quiet hours (the default window is the evening)."""
    settings.STAFF_ALERTS_QUIET_HOURS = ""


def _staff(role: str, **kwargs):
    name = f"{role}{uuid.uuid4().hex[:6]}"
    return StaffFactory(role=role, username=name, email=f"{name}@kecamatan.example.id", **kwargs)


def _deliver(template: str) -> list[OutboxMessage]:
    """Deliver the template's pending rows now, in this process, through the real channels."""
    rows = list(OutboxMessage.objects.filter(template=template, status=OutboxMessage.Status.PENDING))
    for row in rows:
        assert outbox_deliver(message_id=row.pk) == "sent", row.last_error
    return rows


def test_it_emails_the_verifiers_a_new_application_with_a_staff_link_and_no_nik(jetis, jetis_client, smtp_server):
    smtp_server.start()
    with tenant_context(jetis):
        verifier, camat = _staff(Role.VERIFIER), _staff(Role.CAMAT)
        service = KecamatanService.objects.get(slug="domisili")
        key = str(uuid.uuid4())
        payload = apply_payload(service, key)
    connection.set_schema_to_public()

    # when a citizen applies online
    assert jetis_client.post(f"/layanan/{service.slug}/ajukan/", payload).status_code == 302

    # then the verifier (nobody is assigned yet), and not the Camat, is e-mailed once
    with tenant_context(jetis):
        application = Application.objects.get(idempotency_key=key)
        rows = _deliver("staff_new_application")
        assert [r.recipient for r in rows] == [verifier.email]
    [mail] = smtp_server.to(verifier.email)
    assert smtp_server.to(camat.email) == []
    assert mail["Subject"] == f"Permohonan baru {application.tracking_code}: {service.name}"
    text = mail.get_content()
    assert f"/kantor/permohonan/{application.pk}/" in text
    assert NIK_MAN not in text and application.applicant_name not in text
    assert UNSUBSCRIBE.search(text)
    # and the link asks for sign-in
    page = Client(HTTP_HOST=JETIS_HOST).get(f"/kantor/permohonan/{application.pk}/")
    assert page.status_code == 302 and page["Location"].startswith("/kantor/masuk/")


def test_it_tells_only_the_assigned_verifier_by_whatsapp_when_the_citizen_completes(jetis, whatsapp_api):
    from tests.applications.test_sla_agreement import _stored_pdf

    with tenant_context(jetis):
        assigned, _other = _staff(Role.VERIFIER), _staff(Role.VERIFIER)
        alert_preferences_set(user=assigned, choices={AlertType.COMPLETED: (False, True)}, whatsapp="0812-5555-0101")
        application = ApplicationFactory(status=Status.IN_REVIEW, assigned_to=assigned)
        document = application.documents.current().first()
        services.application_request_completion(
            application=application,
            actor=assigned,
            items=[services.RequirementNote(document.requirement_code, "Foto buram, unggah ulang.")],
        )

        services.application_complete(
            application=application, uploads={document.requirement_code: (document.requirement_name, _stored_pdf())}
        )

        rows = _deliver("staff_completed")
        assert [(r.channel, r.recipient) for r in rows] == [("whatsapp", "+6281255550101")]
    [request] = whatsapp_api.to("6281255550101")
    # business-initiated: the approved template, its parameters filled from the alert
    assert request["json"]["template"]["name"] == "sipentol_petugas_permohonan_dilengkapi"
    params = [p["text"] for p in request["json"]["template"]["components"][0]["parameters"]]
    assert params[1] == application.tracking_code
    assert params[3].endswith(f"/kantor/permohonan/{application.pk}/")
    assert UNSUBSCRIBE.search(params[4])
    assert whatsapp_api.requests == [request]  # the other verifier is not told


def test_it_tells_every_verifier_when_nobody_is_assigned_to_a_completed_application(jetis):
    from tests.applications.test_sla_agreement import _stored_pdf

    with tenant_context(jetis):
        first, second, camat = _staff(Role.VERIFIER), _staff(Role.VERIFIER), _staff(Role.CAMAT)
        application = ApplicationFactory(status=Status.IN_REVIEW)
        document = application.documents.current().first()
        services.application_request_completion(
            application=application,
            actor=first,
            items=[services.RequirementNote(document.requirement_code, "KK terpotong.")],
        )
        assert application.assigned_to_id is None

        services.application_complete(
            application=application, uploads={document.requirement_code: (document.requirement_name, _stored_pdf())}
        )

        told = OutboxMessage.objects.filter(dedupe_key__startswith=f"{application.pk}:staff:completed:")
        assert sorted(told.values_list("recipient", flat=True)) == sorted([first.email, second.email])
        assert camat.email not in told.values_list("recipient", flat=True)


def test_it_sends_the_signers_one_digest_a_day_and_nothing_when_no_letter_waits(jetis, smtp_server):
    smtp_server.start()
    today = dt.date(2026, 8, 18)
    with tenant_context(jetis):
        Letter.objects.filter(status=Letter.Status.AWAITING_SIGNATURE).update(status=Letter.Status.DRAFT)
        camat, sekcam, verifier = _staff(Role.CAMAT), _staff(Role.SEKCAM), _staff(Role.VERIFIER)

        # nothing waits: nobody is told
        assert signing_digest_send(today=today) == 0
        assert not OutboxMessage.objects.filter(template="staff_signing_digest").exists()

        # three letters wait: the Camat and the Sekcam get one digest each, once that day
        for _ in range(3):
            LetterFactory(status=Letter.Status.AWAITING_SIGNATURE, number=None)
        assert signing_digest_send(today=today) == 2
        assert signing_digest_send(today=today) == 0
        rows = _deliver("staff_signing_digest")
        assert sorted(r.recipient for r in rows) == sorted([camat.email, sekcam.email])

        # the next day they are told again, once
        assert signing_digest_send(today=today + dt.timedelta(days=1)) == 2
        assert signing_digest_send(today=today + dt.timedelta(days=1)) == 0
        assert len(_deliver("staff_signing_digest")) == 2
    [mail, _next_day] = smtp_server.to(camat.email)
    assert mail["Subject"] == "3 surat menunggu tanda tangan"
    assert "/kantor/tanda-tangan/" in mail.get_content()
    assert "paling lama menunggu sejak" in mail.get_content()
    assert smtp_server.to(verifier.email) == []


def test_it_warns_the_verifier_two_working_days_before_the_due_date_across_a_holiday(jetis, smtp_server):
    smtp_server.start()
    assert not is_working_day(HOLIDAY)
    due = dt.date(2026, 8, 18)  # Tuesday after the holiday: 2 working days before is Thursday 13
    with tenant_context(jetis):
        verifier = _staff(Role.VERIFIER)
        application = ApplicationFactory(status=Status.IN_REVIEW, assigned_to=verifier, due_date=due)
        runs = {
            day: alerts.sla_alerts_send(today=day)["warned"]
            for day in (dt.date(2026, 8, d) for d in (12, 13, 14, 15, 17, 18))
        }

        # Wed 12: 3 working days left; Thu 13: 2 (Fri 14, Tue 18): warned then, and only then
        assert runs == {
            dt.date(2026, 8, 12): 0,
            dt.date(2026, 8, 13): 1,
            dt.date(2026, 8, 14): 0,
            dt.date(2026, 8, 15): 0,
            dt.date(2026, 8, 17): 0,
            dt.date(2026, 8, 18): 0,
        }
        rows = _deliver("staff_sla_warning")
        assert [r.recipient for r in rows] == [verifier.email]
    [mail] = smtp_server.to(verifier.email)
    assert mail["Subject"] == f"Batas waktu {application.tracking_code} tinggal 2 hari kerja"
    assert "18 Agustus 2026" in mail.get_content()


def test_it_lists_a_lapsed_application_to_the_sekcam_once_on_the_first_working_day_after_a_holiday(jetis, smtp_server):
    smtp_server.start()
    due = dt.date(2026, 8, 14)  # Friday; then a weekend and the Monday holiday
    with tenant_context(jetis):
        Application.objects.filter(status__in=["submitted", "in_review"]).update(due_date=None)
        sekcam, camat, verifier = _staff(Role.SEKCAM), _staff(Role.CAMAT), _staff(Role.VERIFIER)
        late = [ApplicationFactory(status=Status.IN_REVIEW, assigned_to=verifier, due_date=due) for _ in range(2)]
        paused = ApplicationFactory(status=Status.NEEDS_COMPLETION, due_date=due)  # clock stopped: not lapsed

        escalated = {
            day: alerts.sla_alerts_send(today=day)["escalated"]
            for day in (dt.date(2026, 8, d) for d in (14, 15, 17, 18, 19))
        }

        # lapsed from Saturday on, but the office is closed until Tuesday 18: told then, once
        assert escalated == {
            dt.date(2026, 8, 14): 0,
            dt.date(2026, 8, 15): 0,
            dt.date(2026, 8, 17): 0,
            dt.date(2026, 8, 18): 2,
            dt.date(2026, 8, 19): 0,
        }
        rows = _deliver("staff_sla_lapsed")
        assert [r.recipient for r in rows] == [sekcam.email]  # one message listing both
    [mail] = smtp_server.to(sekcam.email)
    assert mail["Subject"] == "2 permohonan melewati batas waktu layanan"
    text = mail.get_content()
    assert all(text.count(a.tracking_code) == 1 for a in late)
    assert paused.tracking_code not in text
    assert smtp_server.to(camat.email) == []


def test_quiet_hours_end_at_six_the_next_morning_and_not_before():
    jakarta = timezone.get_default_timezone()

    def at(day: int, hour: int, minute: int = 0) -> dt.datetime:
        return dt.datetime(2026, 8, day, hour, minute, tzinfo=jakarta)

    from sipentol.settings import base

    spec = "20:00-06:00"
    assert spec == base.STAFF_ALERTS_QUIET_HOURS  # the default
    assert quiet_until(at(18, 19, 59), spec=spec) is None
    assert quiet_until(at(18, 20), spec=spec) == at(19, 6)
    assert quiet_until(at(18, 23, 30), spec=spec) == at(19, 6)
    assert quiet_until(at(19, 5, 59), spec=spec) == at(19, 6)
    assert quiet_until(at(19, 6), spec=spec) is None
    assert quiet_until(at(19, 12, 30), spec="12:00-13:00") == at(19, 13)
    assert quiet_until(at(19, 12, 30), spec="") is None


def test_it_holds_an_alert_raised_in_quiet_hours_until_they_end(jetis, settings):
    now = timezone.localtime()
    ends = now + dt.timedelta(hours=2)
    settings.STAFF_ALERTS_QUIET_HOURS = f"{now - dt.timedelta(minutes=1):%H:%M}-{ends:%H:%M}"
    with tenant_context(jetis):
        verifier = _staff(Role.VERIFIER)
        application = ApplicationFactory(status=Status.SUBMITTED, assigned_to=verifier)
        with transaction.atomic():
            alerts.alert_submitted(application)

        [row] = OutboxMessage.objects.filter(template="staff_new_application", recipient=verifier.email)
        assert timezone.localtime(row.next_attempt_at).strftime("%H:%M") == f"{ends:%H:%M}"
        assert row.next_attempt_at > timezone.now()
        assert outbox_deliver(message_id=row.pk) == "not_due"
        assert row.pk not in outbox_due_ids(now=timezone.now(), requeue_before=timezone.now())
        assert row.pk in outbox_due_ids(now=row.next_attempt_at, requeue_before=row.next_attempt_at)


def test_the_unsubscribe_link_turns_that_alert_off_without_sign_in_and_only_on_its_kecamatan(
    jetis, mojosari, smtp_server
):
    smtp_server.start()
    with tenant_context(jetis):
        verifier = _staff(Role.VERIFIER)
        ApplicationFactory(status=Status.SUBMITTED, assigned_to=verifier)
        with transaction.atomic():
            alerts.alert_submitted(Application.objects.filter(assigned_to=verifier).get())
        _deliver("staff_new_application")
    [mail] = smtp_server.to(verifier.email)
    link = UNSUBSCRIBE.search(mail.get_content())
    path = link.group(0).split("://", 1)[1].split("/", 1)[1]
    path = f"/{path}"

    # on another kecamatan's host the link is refused
    assert Client(HTTP_HOST=MOJOSARI_HOST).get(path).status_code == 404
    assert Client(HTTP_HOST=JETIS_HOST).get(path.replace(link.group(1), link.group(1)[:-3] + "xyz")).status_code == 404

    # opening it changes nothing and says what the button does; the button turns it off
    browser = Client(HTTP_HOST=JETIS_HOST)
    page = browser.get(path)
    assert page.status_code == 200 and "Anda tidak perlu masuk" in page.content.decode()
    with tenant_context(jetis):
        assert alert_preferences(verifier)[AlertType.NEW_APPLICATION] == (True, False)
    done = browser.post(path)
    assert done.status_code == 200 and "tidak lagi menerima" in done.content.decode()

    with tenant_context(jetis):
        assert alert_preferences(verifier)[AlertType.NEW_APPLICATION] == (False, False)
        assert alert_preferences(verifier)[AlertType.SLA_WARNING] == (True, False)  # other types unchanged
        assert StaffEvent.objects.filter(staff=verifier, action=StaffEvent.Action.ALERTS_CHANGED).exists()
        second = ApplicationFactory(status=Status.SUBMITTED, assigned_to=verifier)
        with transaction.atomic():
            assert alerts.alert_submitted(second) == 0
        assert not OutboxMessage.objects.filter(dedupe_key__startswith=f"{second.pk}:staff:").exists()


def test_a_staff_member_chooses_whatsapp_on_their_alerts_page_and_needs_a_number_for_it(jetis):
    client = staff_client(jetis, "camat.alerts", Role.CAMAT)

    page = client.get("/kantor/pemberitahuan/")
    assert page.status_code == 200
    assert 'href="/kantor/pemberitahuan/"' in page.content.decode()  # in the back-office menu
    assert str(AlertType.SIGNING_DIGEST.label) in page.content.decode()
    assert str(AlertType.SLA_LAPSED.label) not in page.content.decode()  # the Sekcam's alert

    refused = client.post("/kantor/pemberitahuan/", {"email_signing_digest": "1", "whatsapp_signing_digest": "1"})
    assert refused.status_code == 400 and "Isi nomor WhatsApp" in refused.content.decode()

    saved = client.post(
        "/kantor/pemberitahuan/",
        {"email_signing_digest": "", "whatsapp_signing_digest": "1", "whatsapp": "0812-7777-0101"},
    )
    assert saved.status_code == 302
    with tenant_context(jetis):
        from django.contrib.auth import get_user_model

        camat = get_user_model().objects.get(username="camat.alerts")
        assert alert_preferences(camat)[AlertType.SIGNING_DIGEST] == (False, True)
        assert camat.staff.whatsapp == "+6281277770101"

    # an operator desa has no alerts page
    operator = staff_client(jetis, "desa.alerts", Role.DESA_OPERATOR, desa_code="35.16.16.2013")
    assert operator.get("/kantor/pemberitahuan/").status_code == 403


def test_the_morning_beat_jobs_run_in_every_working_kecamatan_on_working_days_only(jetis, settings):
    from celery.schedules import crontab

    from sipentol.applications.tasks import sla_alerts_all
    from sipentol.letters.tasks import signing_digest_all

    # given a letter waiting in Jetis and its Camat
    with tenant_context(jetis):
        Letter.objects.filter(status=Letter.Status.AWAITING_SIGNATURE).update(status=Letter.Status.DRAFT)
        camat = _staff(Role.CAMAT)
        LetterFactory(status=Letter.Status.AWAITING_SIGNATURE, number=None)
    connection.set_schema_to_public()

    # the jobs are scheduled every morning at 07:00 and 07:05
    schedule = {entry["task"]: entry["schedule"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert schedule["letters.tasks.signing_digest_all"] == crontab(hour=7, minute=0)
    assert schedule["applications.tasks.sla_alerts_all"] == crontab(hour=7, minute=5)

    # when they run, Jetis's Camat is told once, from the public schema through every kecamatan
    assert signing_digest_all()["jetis"] == 1
    assert "jetis" not in signing_digest_all()
    assert set(sla_alerts_all()) == {"warned", "escalated"}
    with tenant_context(jetis):
        assert OutboxMessage.objects.filter(template="staff_signing_digest", recipient=camat.email).count() == 1
