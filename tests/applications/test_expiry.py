"""Without completion an application expires after the configured days, with a reminder before."""

import datetime as dt
import uuid

from django.contrib.auth import get_user_model
from django_tenants.utils import tenant_context

from sipentol.applications import services
from sipentol.applications.models import Application
from sipentol.notifications.models import OutboxMessage

from .conftest import apply_payload


def _waiting_for_completion(jetis, client, service):
    key = str(uuid.uuid4())
    assert client.post(f"/layanan/{service.slug}/ajukan/", apply_payload(service, key)).status_code == 302
    with tenant_context(jetis):
        application = Application.objects.get(idempotency_key=key)
        verifier = get_user_model().objects.create_user(f"v-{key[:8]}")
        services.application_start_review(application=application, actor=verifier)
        services.application_request_completion(
            application=application, actor=verifier, items=[services.RequirementNote("kk", "KK terpotong.")]
        )
        application.refresh_from_db()
    return application


def test_it_gives_14_days_by_default_then_reminds_once_and_expires(jetis, jetis_client, domisili, settings):
    application = _waiting_for_completion(jetis, jetis_client, domisili)
    deadline = application.completion_deadline
    from django.utils import timezone

    assert settings.APPLICATION_COMPLETION_DAYS == 14
    assert deadline == timezone.localdate(application.completion_requested_at) + dt.timedelta(days=14)

    with tenant_context(jetis):
        # well before the deadline nothing happens
        assert services.applications_expire_and_remind(today=deadline - dt.timedelta(days=10)) == {
            "reminded": 0,
            "expired": 0,
        }
        # within the reminder window: one reminder, not two
        assert services.applications_expire_and_remind(today=deadline - dt.timedelta(days=2))["reminded"] == 1
        assert services.applications_expire_and_remind(today=deadline - dt.timedelta(days=1))["reminded"] == 0
        assert OutboxMessage.objects.filter(template="application_completion_reminder").count() == 2  # e-mail + WA
        # on the deadline it is still open; the day after, it expires
        assert services.applications_expire_and_remind(today=deadline)["expired"] == 0
        assert services.applications_expire_and_remind(today=deadline + dt.timedelta(days=1))["expired"] == 1
        application.refresh_from_db()
        assert application.status == "expired"
        assert application.events.filter(to_status="expired", actor_label="sistem").exists()
        # the citizen is told, once, by e-mail and WhatsApp
        assert services.applications_expire_and_remind(today=deadline + dt.timedelta(days=2))["expired"] == 0
        told = OutboxMessage.objects.filter(template="application_expired")
        assert sorted(told.values_list("channel", flat=True)) == ["email", "whatsapp"]
        assert all(application.tracking_code in m.body for m in told)


def test_it_honours_a_configured_completion_period(jetis, jetis_client, domisili, settings):
    settings.APPLICATION_COMPLETION_DAYS = 7

    application = _waiting_for_completion(jetis, jetis_client, domisili)

    from django.utils import timezone

    requested = timezone.localdate(application.completion_requested_at)
    assert (application.completion_deadline - requested).days == 7


def test_it_refuses_an_oversized_photo_with_its_size_and_stores_nothing(jetis, jetis_client, domisili):
    import io
    import os

    from django.core.files.uploadedfile import SimpleUploadedFile

    payload = apply_payload(domisili, str(uuid.uuid4()))
    big = io.BytesIO(b"\xff\xd8\xff\xe0" + os.urandom(6 * 1024 * 1024))
    payload["doc_ktp"] = SimpleUploadedFile("ktp.jpg", big.getvalue(), "image/jpeg")
    with tenant_context(jetis):
        before = Application.objects.count()

    response = jetis_client.post(f"/layanan/{domisili.slug}/ajukan/", payload)

    assert response.status_code == 400
    page = response.content.decode()
    assert "terlalu besar" in page and "5 MB" in page
    with tenant_context(jetis):
        assert Application.objects.count() == before
