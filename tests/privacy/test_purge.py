"""The retention purge (beat job): rows, stored objects and cache entries of an application past
its period go; a younger one stays; a signed letter stays as the archive."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from django_tenants.utils import tenant_context

from sipentol.applications.models import AccessCode, Application, Document, Event, Status
from sipentol.feedback.models import SurveyResponse
from sipentol.letters.models import Letter
from sipentol.lib import appcache, storage
from sipentol.notifications.models import OutboxMessage
from sipentol.privacy.models import PrivacyRequest
from sipentol.privacy.retention.models import PurgeRecord, RecordType, RetentionRule
from sipentol.privacy.tasks import purge_expired_data
from tests.factories import ApplicationFactory, LetterFactory, PrivacyRequestFactory

from .conftest import redis_keys_naming

SKM_FIELDS = ("persyaratan", "prosedur", "waktu", "biaya", "produk", "kompetensi", "perilaku", "pengaduan", "sarana")


def _rejected(days_ago: int) -> Application:
    application = ApplicationFactory(status=Status.REJECTED)
    Application.objects.filter(pk=application.pk).update(closed_at=timezone.now() - timedelta(days=days_ago))
    return application


def _leave_traces(client, application) -> None:
    """What the citizen's use leaves: a one-time code and its message, a request, cache entries."""
    assert client.post("/privasi/ekspor/", {"kode": application.tracking_code}).status_code == 302


def test_it_leaves_0_rows_0_objects_and_0_cache_keys_of_a_purged_application_while_a_younger_one_stays(
    jetis, jetis_client
):
    # given: a rejected application closed 400 days ago (default period: 365) and one closed 10 days ago
    with tenant_context(jetis):
        old = _rejected(400)
        young = _rejected(10)
        LetterFactory(application=old, status=Letter.Status.DRAFT)
        PrivacyRequestFactory(application=old)
        old_keys = list(old.documents.values_list("key", flat=True)) + list(
            Letter.objects.filter(application_id=old.pk).values_list("pdf_key", flat=True)
        )
        young_keys = list(young.documents.values_list("key", flat=True))
    _leave_traces(jetis_client, old)
    _leave_traces(jetis_client, young)
    with tenant_context(jetis):
        assert appcache.keys(old.public_id) and appcache.keys(young.public_id)
        assert all(storage.exists(k) for k in old_keys)
        assert OutboxMessage.objects.filter(dedupe_key__startswith=f"{old.pk}:").exists()

    # when: the beat job runs
    purge_expired_data()

    # then: nothing of the old one is left, in the database, in object storage or in Redis
    with tenant_context(jetis):
        assert not Application.objects.filter(pk=old.pk).exists()
        assert Document.objects.filter(application_id=old.pk).count() == 0
        assert Event.objects.filter(application_id=old.pk).count() == 0
        assert AccessCode.objects.filter(application_id=old.pk).count() == 0
        assert PrivacyRequest.objects.filter(application_id=old.pk).count() == 0
        assert Letter.objects.filter(application_id=old.pk).count() == 0
        assert OutboxMessage.objects.filter(dedupe_key__startswith=f"{old.pk}:").count() == 0
        assert [k for k in old_keys if storage.exists(k)] == []
        # the younger one is whole
        assert Application.objects.filter(pk=young.pk).exists()
        assert all(storage.exists(k) for k in young_keys)
        assert appcache.keys(young.public_id)
    assert redis_keys_naming(str(old.public_id), old.tracking_code) == []
    # an anonymous record: counts per type, no personal data
    record = PurgeRecord.objects.get(kecamatan=jetis)
    assert record.counts["applications"] == 1
    assert record.counts[RecordType.CLOSED] == 1
    assert record.counts["objects"] == len(old_keys)
    assert old.tracking_code not in str(record.counts) and old.applicant_name not in str(record.counts)


def test_it_purges_drafts_after_the_period_diskominfo_set(jetis):
    # given: Diskominfo shortened drafts to 7 days; one draft untouched for 8 days, one for 6
    RetentionRule.objects.create(record_type=RecordType.DRAFT, days=7)
    with tenant_context(jetis):
        stale = ApplicationFactory(status=Status.DRAFT)
        fresh = ApplicationFactory(status=Status.DRAFT)
        Application.objects.filter(pk=stale.pk).update(updated_at=timezone.now() - timedelta(days=8))
        Application.objects.filter(pk=fresh.pk).update(updated_at=timezone.now() - timedelta(days=6))

    purge_expired_data()

    with tenant_context(jetis):
        assert set(Application.objects.filter(pk__in=[stale.pk, fresh.pk]).values_list("pk", flat=True)) == {fresh.pk}


def test_it_keeps_drafts_30_days_by_default(jetis):
    with tenant_context(jetis):
        day_31 = ApplicationFactory(status=Status.DRAFT)
        day_29 = ApplicationFactory(status=Status.DRAFT)
        Application.objects.filter(pk=day_31.pk).update(updated_at=timezone.now() - timedelta(days=31))
        Application.objects.filter(pk=day_29.pk).update(updated_at=timezone.now() - timedelta(days=29))

    purge_expired_data()

    with tenant_context(jetis):
        assert set(Application.objects.filter(pk__in=[day_31.pk, day_29.pk]).values_list("pk", flat=True)) == {
            day_29.pk
        }


def test_it_keeps_the_signed_letter_and_its_pdf_when_an_issued_application_is_purged(jetis):
    # given: an application issued 11 years ago (default archive period: 10 years), rated
    with tenant_context(jetis):
        application = ApplicationFactory(status=Status.RATED)
        letter = LetterFactory(application=application)
        scores = {f"u{n}_{name}": 4 for n, name in enumerate(SKM_FIELDS, start=1)}
        SurveyResponse.objects.create(application=application, service=application.service, **scores)
        Application.objects.filter(pk=application.pk).update(closed_at=timezone.now() - timedelta(days=11 * 365))
        files = list(application.documents.values_list("key", flat=True))

    purge_expired_data()

    with tenant_context(jetis):
        assert not Application.objects.filter(pk=application.pk).exists()
        assert not SurveyResponse.objects.filter(application_id=application.pk).exists()
        assert [k for k in files if storage.exists(k)] == []
        kept = Letter.objects.get(pk=letter.pk)
        assert kept.status == Letter.Status.SIGNED
        assert storage.exists(kept.signed_pdf_key)


def test_it_finds_nothing_to_purge_on_a_second_run(jetis):
    with tenant_context(jetis):
        _rejected(400)
    purge_expired_data()

    assert purge_expired_data() == {}
    assert PurgeRecord.objects.filter(kecamatan=jetis).count() == 1
