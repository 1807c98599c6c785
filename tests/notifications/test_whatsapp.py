"""WhatsApp for real: approved templates, the 24-hour window, Meta's signed webhook, and the SMS
fallback, against the Cloud API and Zenziva stand-ins (which refuse what Meta and Zenziva refuse).

Synchronous delivery inside the test transaction; the end-to-end fallback with the real worker
is in test_fallback.py.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone
from django_tenants.utils import tenant_context

from sipentol.applications import services as application_services
from sipentol.notifications import whatsapp
from sipentol.notifications.models import OutboxMessage
from sipentol.notifications.routing.models import ProviderMessage
from sipentol.notifications.selectors import outbox_undelivered, whatsapp_window_open
from sipentol.notifications.services import (
    outbox_deliver,
    outbox_emit,
    provider_message_register,
    whatsapp_contact_record,
)
from tests.factories import ApplicationFactory, OutboxMessageFactory

from .conftest import SMS_REPORT_TOKEN, WHATSAPP_PORT, WHATSAPP_TOKEN, WHATSAPP_WEBHOOK_VERIFY_TOKEN
from .test_outbox import TEMPLATE_CONTEXTS

PHONE, WA_NUMBER, SMS_NUMBER = "0812-3456-7890", "6281234567890", "081234567890"
WEBHOOK = "/webhooks/whatsapp/"


def _emit(template: str, context: dict, *, key: str) -> OutboxMessage:
    [message] = outbox_emit(
        event=f"test.{template}",
        template=template,
        context={"name": "Siti Aminah", "service_name": "Surat Keterangan Domisili", **context},
        phone=PHONE,
        dedupe_key=key,
    )
    return message


def _post(client, body: bytes, headers: dict, *, path: str = WEBHOOK):
    """A provider's call to the regency host; the test goes on in the schema it was in."""
    tenant = connection.tenant
    try:
        return client.post(path, data=body, content_type=headers.pop("Content-Type"), headers=headers)
    finally:
        connection.set_tenant(tenant)


def _params(request: dict) -> list[str]:
    return [p["text"] for p in request["json"]["template"]["components"][0]["parameters"]]


# Every message type that has a WhatsApp template, with the context its caller gives.
CONTEXTS = {
    **TEMPLATE_CONTEXTS,
    "application_expired": {
        "tracking_code": "JTS-2611-7K3Q",
        "deadline": "12 Desember 2026",
        "link": "https://jetis.example/l/s3cr3t",
    },
    "complaint_responded": {
        "reference": "ADU-2611-0042",
        "status_label": "Selesai",
        "response": "Terima kasih.\n\nLampu jalan sudah   diperbaiki      kemarin.",
    },
    "account_invitation": {"role": "Admin kecamatan", "link": "https://jetis.example/kantor/undangan/x/", "hours": 72},
}


@pytest.mark.parametrize("template", sorted(whatsapp.TEMPLATES))
def test_it_sends_each_message_type_as_its_approved_template_which_the_stand_in_accepts(jetis, whatsapp_api, template):
    with tenant_context(jetis):
        message = _emit(template, CONTEXTS[template], key=f"tpl:{template}")
        outcome = outbox_deliver(message_id=message.pk)

    [request] = whatsapp_api.to(WA_NUMBER)
    spec = whatsapp.TEMPLATES[template]
    assert (outcome, request["status"]) == ("sent", 200), request["answer"]
    assert request["authorization"] == f"Bearer {WHATSAPP_TOKEN}"
    assert request["json"]["type"] == "template"
    assert request["json"]["template"]["name"] == spec.name
    assert request["json"]["template"]["language"] == {"code": "id"}
    assert len(_params(request)) == spec.placeholder_count()
    assert all("\n" not in p and p.strip() for p in _params(request))


def test_it_fills_the_template_parameters_in_order_from_the_message_context(jetis, whatsapp_api):
    context = TEMPLATE_CONTEXTS["application_needs_completion"]
    with tenant_context(jetis):
        message = _emit("application_needs_completion", context, key="tpl:order")
        outbox_deliver(message_id=message.pk)

    [request] = whatsapp_api.to(WA_NUMBER)
    assert _params(request) == [
        "Siti Aminah",
        "Surat Keterangan Domisili",
        "JTS-2611-7K3Q",
        "1. Foto KTP - Foto buram, nomor tidak terbaca",
        "https://jetis.example/l/s3cr3t/lengkapi",
        "12 Desember 2026",
    ]


def test_it_sends_the_one_time_code_with_meta_s_copy_code_button(jetis, whatsapp_api):
    with tenant_context(jetis):
        message = _emit("otp_code", {"code": "482913"}, key="tpl:otp")
        outbox_deliver(message_id=message.pk)

    [request] = whatsapp_api.to(WA_NUMBER)
    button = request["json"]["template"]["components"][1]
    assert request["status"] == 200
    assert _params(request) == ["482913"]
    assert (button["type"], button["sub_type"], button["parameters"]) == (
        "button",
        "url",
        [{"type": "text", "text": "482913"}],
    )


def _graph_post(payload: dict) -> tuple[int, dict]:
    request = urllib.request.Request(
        f"http://127.0.0.1:{WHATSAPP_PORT}/v21.0/106540352242922/messages",
        data=json.dumps({"messaging_product": "whatsapp", "to": WA_NUMBER, **payload}).encode(),
        method="POST",
        headers={"Authorization": f"Bearer {WHATSAPP_TOKEN}", "Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read())


def test_the_stand_in_refuses_what_meta_refuses(whatsapp_api):
    spec = whatsapp.TEMPLATES["application_verified"]

    def template(name=spec.name, language="id", params=("SKCK", "JTS-1", "https://x")):
        body = {"type": "body", "parameters": [{"type": "text", "text": p} for p in params]}
        return {"type": "template", "template": {"name": name, "language": {"code": language}, "components": [body]}}

    free_text = _graph_post({"type": "text", "text": {"body": "Halo"}})
    unknown = _graph_post(template(name="sipentol_promo"))
    english = _graph_post(template(language="en"))
    too_few = _graph_post(template(params=("SKCK", "JTS-1")))
    multiline = _graph_post(template(params=("SKCK", "JTS-1", "baris\nbaru")))
    good = _graph_post(template())

    assert (free_text[0], free_text[1]["error"]["code"]) == (400, 131047)
    assert "Re-engagement message" in free_text[1]["error"]["message"]
    assert (unknown[0], unknown[1]["error"]["code"]) == (404, 132001)
    assert english[1]["error"]["code"] == 132001
    assert (too_few[0], too_few[1]["error"]["code"]) == (400, 132000)
    assert multiline[1]["error"]["code"] == 132018
    assert good[0] == 200 and good[1]["messages"][0]["id"].startswith("wamid.")


def test_it_refuses_free_text_outside_the_window_and_hands_the_message_to_sms(jetis, whatsapp_api, sms_gateway):
    # given: a message type without an approved template, and a citizen who has not written to us
    with tenant_context(jetis):
        message = OutboxMessageFactory(
            template="custom_note",
            channel="whatsapp",
            recipient="+6281234567890",
            recipient_masked="+62812****7890",
            body="Catatan *penting* dari kantor kecamatan.",
            status="pending",
            attempts=0,
            last_error="",
        )

        # when the worker delivers it
        outcome = outbox_deliver(message_id=message.pk)
        message.refresh_from_db()
        sms = OutboxMessage.objects.get(fallback_of=message)
        undelivered_before = list(outbox_undelivered())
        sms_outcome = outbox_deliver(message_id=sms.pk)
        undelivered_after = list(outbox_undelivered())

    # then WhatsApp was never given free text, and the text went by SMS, once; the operators'
    # list of undelivered messages holds the WhatsApp row only until the SMS is sent
    assert whatsapp_api.to(WA_NUMBER) == []
    assert (outcome, message.status) == ("dead", "dead")
    assert "24-hour window is closed" in message.last_error
    assert (sms.channel, sms.dedupe_key, sms_outcome) == ("sms", message.dedupe_key, "sent")
    [request] = sms_gateway.to(SMS_NUMBER)
    assert request["form"]["message"] == "Catatan penting dari kantor kecamatan."
    assert message in undelivered_before and message not in undelivered_after


def test_it_sends_free_text_inside_the_window_the_citizen_opened(jetis, whatsapp_api, public_client):
    # given: the citizen wrote to the platform's number (Meta's signed webhook)
    body, headers = whatsapp_api.inbound_webhook(WA_NUMBER, "Halo, saya mau tanya permohonan saya")
    with tenant_context(jetis):
        answer = _post(public_client, body, headers)
        message = _emit("application_verified", TEMPLATE_CONTEXTS["application_verified"], key="window:1")

        # when the worker delivers a message
        outcome = outbox_deliver(message_id=message.pk)

    # then it goes as the full free text, which Meta accepts inside the window
    [request] = whatsapp_api.to(WA_NUMBER)
    assert answer.status_code == 200
    assert whatsapp_window_open(WA_NUMBER)
    assert (outcome, request["status"], request["json"]["type"]) == ("sent", 200, "text")
    assert request["json"]["text"]["body"] == message.body


def test_the_window_closes_24_hours_after_the_citizen_s_last_message(jetis, whatsapp_api, public_client):
    body, headers = whatsapp_api.inbound_webhook(WA_NUMBER)
    _post(public_client, body, headers)

    assert whatsapp_window_open(WA_NUMBER, now=timezone.now() + dt.timedelta(hours=23))
    assert not whatsapp_window_open(WA_NUMBER, now=timezone.now() + dt.timedelta(hours=24, seconds=1))
    assert not whatsapp_window_open("6289999999999")


def _sent_whatsapp(jetis, key: str) -> OutboxMessage:
    with tenant_context(jetis):
        message = _emit("application_verified", TEMPLATE_CONTEXTS["application_verified"], key=key)
        assert outbox_deliver(message_id=message.pk) == "sent"
        message.refresh_from_db()
    return message


@pytest.mark.parametrize(
    "signature",
    ["wrong secret", "missing", "other body"],
)
def test_it_changes_nothing_on_a_webhook_with_a_wrong_signature(jetis, whatsapp_api, public_client, signature):
    # given: a sent message, and Meta's "failed" report for it and the citizen's message
    message = _sent_whatsapp(jetis, "sig:1")
    failed, headers = whatsapp_api.status_webhook(message.provider_message_id, "failed")
    inbound, inbound_headers = whatsapp_api.inbound_webhook(WA_NUMBER)
    forged = {
        "wrong secret": whatsapp.signature(failed, "not-the-app-secret"),
        "missing": "",
        "other body": whatsapp.signature(inbound, whatsapp_api.app_secret),
    }[signature]
    headers["X-Hub-Signature-256"] = forged
    inbound_headers["X-Hub-Signature-256"] = whatsapp.signature(inbound, "not-the-app-secret")

    # when someone posts them without Meta's signature
    with tenant_context(jetis):
        answers = [_post(public_client, failed, headers), _post(public_client, inbound, inbound_headers)]
        message.refresh_from_db()
        fallbacks = OutboxMessage.objects.filter(dedupe_key=message.dedupe_key, channel="sms").count()

    # then both are refused and nothing changed: no failure recorded, no SMS, no window
    assert [a.status_code for a in answers] == [403, 403]
    assert (message.status, message.delivery, message.last_error) == ("sent", "", "")
    assert fallbacks == 0
    assert not whatsapp_window_open(WA_NUMBER)
    route = ProviderMessage.objects.get(provider="whatsapp", provider_message_id=message.provider_message_id)
    assert route.waiting_delivery == ""


def test_it_records_delivered_then_read_and_ignores_a_late_delivered(jetis, whatsapp_api, public_client):
    message = _sent_whatsapp(jetis, "status:1")

    with tenant_context(jetis):
        for status in ("sent", "delivered", "read", "delivered"):
            body, headers = whatsapp_api.status_webhook(message.provider_message_id, status)
            assert _post(public_client, body, headers).status_code == 200
        message.refresh_from_db()

    assert (message.status, message.delivery) == ("sent", "read")
    assert message.delivery_at is not None


def test_a_failed_report_makes_one_sms_however_often_meta_repeats_it(jetis, whatsapp_api, sms_gateway, public_client):
    message = _sent_whatsapp(jetis, "failed:1")
    body, headers = whatsapp_api.status_webhook(message.provider_message_id, "failed")

    with tenant_context(jetis):
        for _ in range(3):  # Meta repeats a call until it gets 200, and may repeat after it too
            assert _post(public_client, body, dict(headers)).status_code == 200
        message.refresh_from_db()
        [sms] = OutboxMessage.objects.filter(dedupe_key=message.dedupe_key, channel="sms")
        outcomes = [outbox_deliver(message_id=sms.pk) for _ in range(2)]

    assert message.delivery == "failed"
    assert "WhatsApp 131026: Message undeliverable" in message.last_error
    assert sms.fallback_of_id == message.pk
    assert outcomes == ["sent", "done"]
    assert len(sms_gateway.to(SMS_NUMBER)) == 1


def test_a_report_that_comes_before_the_send_is_recorded_is_applied_when_it_is(jetis, whatsapp_api, public_client):
    with tenant_context(jetis):
        message = _emit("application_verified", TEMPLATE_CONTEXTS["application_verified"], key="early:1")
    body, headers = whatsapp_api.signed(
        {"entry": [{"changes": [{"value": {"statuses": [{"id": "wamid.EARLY1", "status": "delivered"}]}}]}]}
    )

    answer = _post(public_client, body, headers)
    with tenant_context(jetis):
        before = OutboxMessage.objects.get(pk=message.pk).delivery
        provider_message_register(message=message, provider_message_id="wamid.EARLY1")
        message.refresh_from_db()

    assert (answer.status_code, answer.json()["waiting"]) == (200, 1)
    assert (before, message.delivery) == ("", "delivered")


def test_it_reports_into_the_kecamatan_that_sent_the_message_only(jetis, mojosari, whatsapp_api, public_client):
    message = _sent_whatsapp(jetis, "iso:1")
    with tenant_context(mojosari):
        other = OutboxMessageFactory(channel="whatsapp", status="sent", provider_message_id=message.provider_message_id)
    body, headers = whatsapp_api.status_webhook(message.provider_message_id, "read")

    _post(public_client, body, headers)
    with tenant_context(jetis):
        message.refresh_from_db()
    with tenant_context(mojosari):
        other.refresh_from_db()

    assert (message.delivery, other.delivery) == ("read", "")


def test_it_answers_meta_s_subscription_check_only_with_the_verify_token(public_client):
    query = {"hub.mode": "subscribe", "hub.challenge": "1158201444"}

    good = public_client.get(WEBHOOK, {**query, "hub.verify_token": WHATSAPP_WEBHOOK_VERIFY_TOKEN})
    bad = public_client.get(WEBHOOK, {**query, "hub.verify_token": "tebakan"})

    assert (good.status_code, good.content) == (200, b"1158201444")
    assert bad.status_code == 403 and b"1158201444" not in bad.content


def test_it_goes_straight_to_sms_when_whatsapp_is_not_set_up(jetis, settings, sms_gateway):
    settings.WHATSAPP_TOKEN = ""
    with tenant_context(jetis):
        message = _emit("otp_code", {"code": "775120"}, key="nowa:1")
        outcome = outbox_deliver(message_id=message.pk)
        sms = OutboxMessage.objects.get(fallback_of=message)
        sms_outcome = outbox_deliver(message_id=sms.pk)

    assert (outcome, sms_outcome) == ("dead", "sent")
    [request] = sms_gateway.to(SMS_NUMBER)
    assert "Kode verifikasi SIPENTOL Anda: 775120" in request["form"]["message"]


# ------------------------------------------------------------------ SMS (Zenziva)
def test_it_sends_sms_through_zenziva_and_records_its_delivery_report(jetis, settings, sms_gateway, public_client):
    settings.NOTIFICATIONS_PHONE_CHANNELS = ["sms"]
    with tenant_context(jetis):
        message = _emit("application_verified", TEMPLATE_CONTEXTS["application_verified"], key="sms:1")
        assert outbox_deliver(message_id=message.pk) == "sent"
        message.refresh_from_db()

    [request] = sms_gateway.to(SMS_NUMBER)
    assert request["path"] == "/reguler/api/sendsms/"
    assert (request["form"]["userkey"], request["form"]["passkey"]) == ("test-userkey", "test-passkey-sipentol")
    assert "*" not in request["form"]["message"] and "JTS-2611-7K3Q" in request["form"]["message"]
    assert message.provider_message_id == request["answer"]["messageId"]

    report = sms_gateway.report(message.provider_message_id, "DELIVERED")
    tenant = connection.tenant
    wrong = public_client.post("/webhooks/sms/tebakan/", report)
    right = public_client.post(f"/webhooks/sms/{SMS_REPORT_TOKEN}/", report)
    connection.set_tenant(tenant)
    with tenant_context(jetis):
        message.refresh_from_db()

    assert (wrong.status_code, right.status_code) == (403, 200)
    assert message.delivery == "delivered"


def test_it_keeps_an_sms_for_retry_when_zenziva_refuses_the_credentials(jetis, settings, sms_gateway):
    settings.NOTIFICATIONS_PHONE_CHANNELS = ["sms"]
    settings.ZENZIVA_PASSKEY = "salah"
    with tenant_context(jetis):
        message = _emit("application_verified", TEMPLATE_CONTEXTS["application_verified"], key="sms:2")
        outcome = outbox_deliver(message_id=message.pk)
        message.refresh_from_db()

    assert (outcome, message.status) == ("failed", "failed")
    assert message.last_error == "Zenziva refused the message: Userkey atau Passkey salah"
    assert message.next_attempt_at > timezone.now()


def test_an_expired_application_is_announced_by_whatsapp_template_to_a_phone_only_citizen(jetis, whatsapp_api):
    with tenant_context(jetis):
        deadline = timezone.localdate() - dt.timedelta(days=1)
        application = ApplicationFactory(
            status="needs_completion", applicant_email="", applicant_phone=PHONE, completion_deadline=deadline
        )
        application_services.applications_expire_and_remind()
        [message] = OutboxMessage.objects.filter(
            dedupe_key__startswith=f"{application.pk}:", template="application_expired"
        )
        outcome = outbox_deliver(message_id=message.pk)

    [request] = whatsapp_api.to(WA_NUMBER)
    assert (message.channel, outcome, request["status"]) == ("whatsapp", "sent", 200)
    assert request["json"]["template"]["name"] == "sipentol_permohonan_kedaluwarsa"
    assert application.tracking_code in _params(request)


def test_it_sends_the_template_when_meta_says_the_window_has_closed(jetis, whatsapp_api):
    # given: our record says the citizen wrote recently, but Meta no longer counts the window open
    whatsapp_contact_record(number=WA_NUMBER, at=timezone.now() - dt.timedelta(hours=1))
    with tenant_context(jetis):
        message = _emit("application_verified", TEMPLATE_CONTEXTS["application_verified"], key="reengage:1")
        outcome = outbox_deliver(message_id=message.pk)

    # then the free text is refused (131047) and the approved template goes instead
    first, second = whatsapp_api.to(WA_NUMBER)
    assert (first["json"]["type"], first["status"], first["answer"]["error"]["code"]) == ("text", 400, 131047)
    assert (second["json"]["type"], second["status"]) == ("template", 200)
    assert outcome == "sent"


def test_it_falls_back_to_sms_when_the_last_whatsapp_retry_fails(jetis, settings, whatsapp_api, sms_gateway):
    settings.NOTIFICATIONS_RETRY_DELAYS = [60]  # one retry, then the message is dead
    whatsapp_api.fail_next(2)
    with tenant_context(jetis):
        message = _emit("application_verified", TEMPLATE_CONTEXTS["application_verified"], key="retries:1")
        first = outbox_deliver(message_id=message.pk)
        assert not OutboxMessage.objects.filter(fallback_of=message).exists()
        OutboxMessage.objects.filter(pk=message.pk).update(next_attempt_at=timezone.now())  # the backoff is over
        last = outbox_deliver(message_id=message.pk)
        sms = OutboxMessage.objects.get(fallback_of=message)
        sms_outcome = outbox_deliver(message_id=sms.pk)

    assert (first, last, sms_outcome) == ("failed", "dead", "sent")
    assert len(sms_gateway.to(SMS_NUMBER)) == 1


@pytest.mark.parametrize("how", ["form", "query", "json"])
def test_it_reads_the_sms_report_from_a_form_a_query_string_or_json(jetis, settings, sms_gateway, public_client, how):
    settings.NOTIFICATIONS_PHONE_CHANNELS = ["sms"]
    with tenant_context(jetis):
        message = _emit("application_verified", TEMPLATE_CONTEXTS["application_verified"], key=f"dlr:{how}")
        outbox_deliver(message_id=message.pk)
        message.refresh_from_db()
    report = sms_gateway.report(message.provider_message_id, "FAILED")
    path = f"/webhooks/sms/{SMS_REPORT_TOKEN}/"

    tenant = connection.tenant
    if how == "form":
        answer = public_client.post(path, report)
    elif how == "query":
        answer = public_client.get(path, report)
    else:
        answer = public_client.post(path, json.dumps(report), content_type="application/json")
    connection.set_tenant(tenant)
    with tenant_context(jetis):
        message.refresh_from_db()

    assert (answer.status_code, answer.json()["outcome"]) == (200, "recorded")
    assert (message.delivery, message.last_error) == ("failed", "SMS gateway: FAILED")


def _docs_table() -> dict[str, tuple[str, str, str]]:
    text = (Path(__file__).resolve().parents[2] / "docs" / "notifications.md").read_text()
    rows = re.findall(r"^\| (\w+) \| `(\w+)` \| (.+?) \| (.+?) \|$", text, flags=re.MULTILINE)
    return {row[0]: (row[1], row[2].replace("\\*", "*"), row[3]) for row in rows}


def test_it_lists_every_approved_template_in_the_docs():
    documented = _docs_table()

    assert sorted(documented) == sorted(whatsapp.TEMPLATES)
    for key, spec in whatsapp.TEMPLATES.items():
        name, body, params = documented[key]
        assert (name, body) == (spec.name, spec.body)
        assert params.split(" (")[0] == ", ".join(spec.params)


def test_it_refuses_every_webhook_call_while_the_app_secret_is_not_set(jetis, settings, whatsapp_api, public_client):
    settings.WHATSAPP_APP_SECRET = ""
    body, headers = whatsapp_api.inbound_webhook(WA_NUMBER)

    answer = _post(public_client, body, headers)

    assert answer.status_code == 403
    assert not whatsapp_window_open(WA_NUMBER)
