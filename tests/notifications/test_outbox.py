"""The outbox inside one kecamatan, delivered synchronously (rolled-back test transaction)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from django_tenants.utils import tenant_context

from sipentol.notifications.models import OutboxMessage
from sipentol.notifications.selectors import outbox_due_ids
from sipentol.notifications.services import PersonalDataInMessage, outbox_deliver, outbox_emit, outbox_retry

TEMPLATE_CONTEXTS = {
    "application_submitted": {"tracking_code": "JTS-2611-7K3Q", "link": "https://jetis.example/l/s3cr3t"},
    "application_needs_completion": {
        "tracking_code": "JTS-2611-7K3Q",
        "link": "https://jetis.example/l/s3cr3t/lengkapi",
        "items": [{"name": "Foto KTP", "reason": "Foto buram, nomor tidak terbaca"}],
        "deadline": "12 Desember 2026",
    },
    "application_completion_reminder": {"tracking_code": "JTS-2611-7K3Q", "link": "https://jetis.example/l/s3cr3t"},
    "application_verified": {"tracking_code": "JTS-2611-7K3Q", "link": "https://jetis.example/l/s3cr3t"},
    "application_rejected": {
        "tracking_code": "JTS-2611-7K3Q",
        "link": "https://jetis.example/l/s3cr3t",
        "reason": "Pemohon bukan warga Kecamatan Jetis",
    },
    "letter_issued": {"tracking_code": "JTS-2611-7K3Q", "link": "https://jetis.example/unduh/s3cr3t"},
    "otp_code": {"code": "482913"},
    "document_infected": {
        "tracking_code": "JTS-2611-7K3Q",
        "link": "https://jetis.example/lacak/?kode=JTS-2611-7K3Q",
        "requirement_name": "Foto KTP",
    },
    # staff alerts (accounts/alerts.py)
    "staff_new_application": {
        "tracking_code": "JTS-2611-7K3Q",
        "due_date": "4 Desember 2026",
        "link": "https://jetis.example/kantor/permohonan/7/",
        "unsubscribe_link": "https://jetis.example/kantor/pemberitahuan/berhenti/t0ken/",
    },
    "staff_completed": {
        "tracking_code": "JTS-2611-7K3Q",
        "due_date": "4 Desember 2026",
        "link": "https://jetis.example/kantor/permohonan/7/",
        "unsubscribe_link": "https://jetis.example/kantor/pemberitahuan/berhenti/t0ken/",
    },
    "staff_sla_warning": {
        "tracking_code": "JTS-2611-7K3Q",
        "days_left": 2,
        "due_date": "4 Desember 2026",
        "link": "https://jetis.example/kantor/permohonan/7/",
        "unsubscribe_link": "https://jetis.example/kantor/pemberitahuan/berhenti/t0ken/",
    },
    "staff_sla_lapsed": {
        "count": 1,
        "items": [
            {
                "tracking_code": "JTS-2611-7K3Q",
                "service_name": "Surat Keterangan Domisili",
                "due_date": "4 Desember 2026",
                "link": "https://jetis.example/kantor/permohonan/7/",
            }
        ],
        "unsubscribe_link": "https://jetis.example/kantor/pemberitahuan/berhenti/t0ken/",
    },
    "staff_signing_digest": {
        "count": 3,
        "oldest_since": "30 November 2026 08:15",
        "link": "https://jetis.example/kantor/tanda-tangan/",
        "unsubscribe_link": "https://jetis.example/kantor/pemberitahuan/berhenti/t0ken/",
    },
}


def _emit(**kwargs):
    defaults = {
        "event": "application.submitted",
        "template": "application_submitted",
        "context": {
            "name": "Siti Aminah",
            "service_name": "Surat Keterangan Domisili",
            **TEMPLATE_CONTEXTS["application_submitted"],
        },
        "email": "siti.aminah@example.id",
        "phone": "0812-3456-7890",
        "dedupe_key": "application:1:submitted",
    }
    return outbox_emit(**{**defaults, **kwargs})


def test_it_writes_one_message_per_channel_in_bahasa_indonesia(jetis):
    with tenant_context(jetis):
        email, whatsapp = _emit()

    assert (email.channel, email.recipient, email.recipient_masked) == (
        "email",
        "siti.aminah@example.id",
        "s***h@example.id",
    )
    assert (whatsapp.channel, whatsapp.recipient, whatsapp.recipient_masked) == (
        "whatsapp",
        "+6281234567890",
        "+62812****7890",
    )
    assert email.subject == "Permohonan Surat Keterangan Domisili diterima: JTS-2611-7K3Q"
    assert "Yth. Siti Aminah" in email.body
    assert "Kecamatan Jetis" in email.body
    assert "https://jetis.example/l/s3cr3t" in email.body
    assert "Kode lacak: *JTS-2611-7K3Q*" in whatsapp.body
    assert {email.status, whatsapp.status} == {OutboxMessage.Status.PENDING}


def test_it_keeps_one_message_per_channel_when_emitted_twice(jetis):
    with tenant_context(jetis):
        first = _emit()
        second = _emit(context={"name": "Siti", "tracking_code": "X", "link": "y", "service_name": "z"})

        assert [m.pk for m in first] == [m.pk for m in second]
        assert OutboxMessage.objects.count() == 2


def test_it_uses_only_the_channels_that_have_a_recipient(jetis):
    with tenant_context(jetis):
        assert [m.channel for m in _emit(email=None)] == ["whatsapp"]
        assert [m.channel for m in _emit(phone="", dedupe_key="other")] == ["email"]
        assert _emit(email=None, phone=None, dedupe_key="none") == []


@pytest.mark.parametrize("template", sorted(TEMPLATE_CONTEXTS))
def test_it_renders_every_template_in_bahasa_indonesia(jetis, template):
    context = {"name": "Budi", "service_name": "Surat Pengantar SKCK", **TEMPLATE_CONTEXTS[template]}
    with tenant_context(jetis):
        email, whatsapp = _emit(template=template, context=context, dedupe_key=f"t:{template}")

    for message in (email, whatsapp):
        key = context.get("tracking_code") or context.get("code") or context.get("link")
        key = key or context["items"][0]["tracking_code"]
        assert key in message.body
        assert "{{" not in message.body and "{%" not in message.body
        assert "&#x27;" not in message.body and "&amp;" not in message.body  # plain text, not HTML-escaped
    assert email.subject
    if template == "application_needs_completion":
        assert "Foto KTP" in whatsapp.body and "Foto buram, nomor tidak terbaca" in whatsapp.body
    if template == "otp_code":
        assert "Jangan berikan kode ini" in whatsapp.body


def test_it_refuses_to_put_a_nik_in_a_message(jetis):
    with tenant_context(jetis), pytest.raises(PersonalDataInMessage):
        _emit(context={**TEMPLATE_CONTEXTS["application_submitted"], "name": "Siti 3516165708900001"})
    with tenant_context(jetis), pytest.raises(PersonalDataInMessage):
        _emit(context={**TEMPLATE_CONTEXTS["application_submitted"], "nik": "3516165708900001"})


def test_it_backs_off_while_smtp_is_down_and_gives_up_after_the_last_attempt(jetis, settings):
    # given: nothing listens on the SMTP port
    with tenant_context(jetis):
        [message] = _emit(phone=None)
        delays = []
        for _ in range(len(settings.NOTIFICATIONS_RETRY_DELAYS)):
            # when
            assert outbox_deliver(message_id=message.pk) == "failed"
            message.refresh_from_db()
            delays.append(round((message.next_attempt_at - timezone.now()).total_seconds() / 60))
            assert outbox_deliver(message_id=message.pk) == "not_due"
            OutboxMessage.objects.filter(pk=message.pk).update(next_attempt_at=timezone.now())  # time passes
        last = outbox_deliver(message_id=message.pk)
        message.refresh_from_db()

    # then: 1 min, 5 min, 30 min, 2 h, then dead with the reason kept
    assert delays == [1, 5, 30, 120]
    assert last == "dead"
    assert message.status == OutboxMessage.Status.DEAD
    assert message.attempts == 5
    assert "SMTP 127.0.0.1" in message.last_error
    assert message.sent_at is None


def test_it_keeps_an_sms_when_no_provider_is_configured(jetis, settings):
    settings.NOTIFICATIONS_PHONE_CHANNELS = ["sms"]
    settings.SMS_PROVIDER = ""
    with tenant_context(jetis):
        [message] = _emit(email=None)
        outcome = outbox_deliver(message_id=message.pk)
        message.refresh_from_db()

    assert outcome == "failed"
    assert message.channel == "sms"
    assert message.status == OutboxMessage.Status.FAILED
    assert "Penyedia SMS belum diatur" in message.last_error
    assert message.next_attempt_at > timezone.now()


def test_it_lets_an_operator_retry_a_dead_message(jetis):
    with tenant_context(jetis):
        [message] = _emit(phone=None)
        OutboxMessage.objects.filter(pk=message.pk).update(
            status=OutboxMessage.Status.DEAD, next_attempt_at=timezone.now() + timedelta(days=1)
        )
        message = outbox_retry(message=message)

    assert message.status == OutboxMessage.Status.PENDING
    assert message.next_attempt_at <= timezone.now()


def test_it_keeps_each_kecamatan_outbox_apart(jetis, mojosari):
    with tenant_context(jetis):
        _emit()
    with tenant_context(mojosari):
        assert OutboxMessage.objects.count() == 0


def test_it_sends_a_message_left_in_sending_by_a_crash_only_after_the_lease(jetis, settings):
    with tenant_context(jetis):
        [message] = _emit(phone=None)
        just_claimed = timezone.now() - timedelta(seconds=30)
        OutboxMessage.objects.filter(pk=message.pk).update(status="sending", attempts=1, claimed_at=just_claimed)

        assert outbox_deliver(message_id=message.pk) == "in_flight"
        assert message.pk not in outbox_due_ids(now=timezone.now(), requeue_before=timezone.now())

        crashed = timezone.now() - timedelta(seconds=settings.NOTIFICATIONS_SENDING_LEASE_SECONDS + 1)
        OutboxMessage.objects.filter(pk=message.pk).update(claimed_at=crashed)
        assert message.pk in outbox_due_ids(now=timezone.now(), requeue_before=timezone.now())
        outcome = outbox_deliver(message_id=message.pk)  # SMTP is down here: a second, failed attempt
        message.refresh_from_db()

    assert outcome == "failed"
    assert message.attempts == 2


def test_it_refuses_to_emit_outside_a_kecamatan(db):
    with pytest.raises(RuntimeError, match="kecamatan schema"):
        _emit()


def test_it_greets_the_applicant_by_name_under_either_key(jetis):
    context = {**TEMPLATE_CONTEXTS["application_verified"], "applicant_name": "Budi Santoso", "service_name": "SKCK"}
    with tenant_context(jetis):
        [email] = _emit(template="application_verified", context=context, phone=None)

    assert email.body.startswith("Yth. Budi Santoso,")
