"""The regency fact table follows each application's lifecycle, in the same transaction."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone
from django_tenants.utils import tenant_context

from sipentol.applications import services
from sipentol.regency.models import ApplicationFact
from tests.applications.conftest import NIK_MAN

from .helpers import issue, staff, submit


def fact_of(kecamatan, application) -> ApplicationFact:
    return ApplicationFact.objects.get(kecamatan=kecamatan, application_id=application.pk)


def test_it_records_an_open_fact_without_personal_data_when_a_citizen_submits(jetis, jetis_client):
    application = submit(jetis, jetis_client)

    fact = fact_of(jetis, application)
    assert fact.status == "submitted"
    assert fact.service_code == "domisili" and fact.service_name == application.service.name
    assert fact.channel == "online" and fact.desa_code == application.desa_code
    assert fact.submitted_at == application.submitted_at and fact.due_date == application.due_date
    assert fact.sla_working_days == application.service.sla_working_days
    assert fact.closed_at is None and fact.issued_at is None and fact.on_time is None
    values = " ".join(str(getattr(fact, f.attname)) for f in ApplicationFact._meta.fields)
    assert NIK_MAN not in values and application.applicant_name not in values and "0812" not in values


def test_it_does_not_count_a_draft_that_was_never_sent(jetis, jetis_client):
    application = submit(jetis, jetis_client, action="draft")

    assert application.status == "draft"
    assert not ApplicationFact.objects.filter(kecamatan=jetis, application_id=application.pk).exists()


def test_it_marks_a_letter_issued_by_the_due_date_as_on_time(jetis, jetis_client):
    application = issue(jetis, submit(jetis, jetis_client))

    fact = fact_of(jetis, application)
    assert fact.status == "issued"
    assert fact.issued_at == application.closed_at == fact.closed_at
    assert fact.working_days_taken == 0  # issued on the day it was submitted
    assert fact.on_time is True


def test_it_marks_a_rejection_after_the_due_date_as_late(jetis, jetis_client):
    application = submit(jetis, jetis_client)
    verifier = staff(jetis, "verif-late")
    with tenant_context(jetis):
        # the office let it sit: its due date is already behind it
        type(application).objects.filter(pk=application.pk).update(
            due_date=timezone.localdate().replace(day=1) - timezone.timedelta(days=1)
        )
        application.refresh_from_db()
        services.application_start_review(application=application, actor=verifier)
        assert fact_of(jetis, application).on_time is None  # still open
        services.application_reject(application=application, actor=verifier, reason="Bukan warga Kecamatan Jetis.")

    fact = fact_of(jetis, application)
    assert fact.status == "rejected" and fact.closed_at is not None
    assert fact.on_time is False


def test_it_leaves_the_fact_untouched_when_the_transition_rolls_back(jetis, jetis_client):
    application = submit(jetis, jetis_client)
    verifier = staff(jetis, "verif-rollback")

    with tenant_context(jetis), pytest.raises(RuntimeError), transaction.atomic():
        services.application_start_review(application=application, actor=verifier)
        assert fact_of(jetis, application).status == "in_review"  # seen inside the transaction
        raise RuntimeError("crash after the transition, before commit")

    assert fact_of(jetis, application).status == "submitted"
    with tenant_context(jetis):
        application.refresh_from_db()
        assert application.status == "submitted"


def test_it_leaves_no_fact_when_a_submission_rolls_back(jetis, jetis_client):
    draft = submit(jetis, jetis_client, action="draft")

    with tenant_context(jetis), pytest.raises(RuntimeError), transaction.atomic():
        services.application_submit_draft(application=draft)
        raise RuntimeError("the database connection dropped")

    assert not ApplicationFact.objects.filter(kecamatan=jetis, application_id=draft.pk).exists()


def test_it_rebuilds_the_facts_idempotently_and_repairs_lost_or_stale_rows(
    jetis, jetis_client, mojosari, mojosari_client
):
    # given two submitted applications in two kecamatan, one fact lost and one stale
    in_jetis = submit(jetis, jetis_client)
    in_mojosari = submit(mojosari, mojosari_client)
    expected = {(f.kecamatan_id, f.application_id, f.status, f.due_date) for f in ApplicationFact.objects.all()}
    fact_of(jetis, in_jetis).delete()
    ApplicationFact.objects.filter(kecamatan=mojosari, application_id=in_mojosari.pk).update(status="issued")
    orphan = ApplicationFact.objects.create(
        kecamatan=jetis,
        application_id=999_999,
        service_code="x",
        service_name="x",
        channel="online",
        status="submitted",
    )

    # when the command runs twice
    call_command("regency_facts_rebuild", verbosity=0)
    first = {(f.kecamatan_id, f.application_id, f.status, f.due_date) for f in ApplicationFact.objects.all()}
    call_command("regency_facts_rebuild", verbosity=0)
    second = {(f.kecamatan_id, f.application_id, f.status, f.due_date) for f in ApplicationFact.objects.all()}

    # then the facts are back as the transitions wrote them, and the orphan is gone
    assert first == second == expected
    assert not ApplicationFact.objects.filter(pk=orphan.pk).exists()


def test_it_records_the_code_the_assignee_and_a_completion_request_and_the_rebuild_finds_them_again(
    jetis, jetis_client
):
    from django.db import connection

    application = submit(jetis, jetis_client)
    verifier = staff(jetis, "v-lengkap")
    with tenant_context(jetis):
        services.application_assign(application=application, actor=verifier, assignee=verifier)
        services.application_start_review(application=application, actor=verifier)
        document = application.documents.filter(superseded=False).first()
        services.application_request_completion(
            application=application,
            actor=verifier,
            items=[services.RequirementNote(document.requirement_code, "Foto buram, unggah ulang.")],
        )
    connection.set_schema_to_public()
    fact = fact_of(jetis, application)
    written = (fact.tracking_code, fact.assigned_to, fact.completion_requested)
    ApplicationFact.objects.filter(pk=fact.pk).update(tracking_code="", assigned_to="", completion_requested=False)

    call_command("regency_facts_rebuild", verbosity=0)

    fact.refresh_from_db()
    assert written == (application.tracking_code, "v-lengkap", True)
    assert (fact.tracking_code, fact.assigned_to, fact.completion_requested) == written
