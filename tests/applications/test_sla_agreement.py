"""One SLA rule: the clock pauses while the citizen completes, and the staff queue, the staff
API, the regency dashboard's figures and its overdue list call the same applications overdue."""

from __future__ import annotations

import datetime as dt
import re

from django.db import connection
from django.utils import timezone
from django_tenants.utils import tenant_context

from sipentol.applications import services
from sipentol.applications.facts import application_fact_publish
from sipentol.applications.models import Application, Event, Status
from sipentol.lib.workdays import add_working_days, working_days_between
from sipentol.regency.boards import parse_filters
from sipentol.regency.models import ApplicationFact
from sipentol.regency.selectors import board_by_kecamatan, board_overdue, overdue_q
from tests.accounts.staff import make_staff, staff_client
from tests.factories import ApplicationFactory


def test_it_moves_the_due_date_by_the_working_days_the_citizen_spent_completing(jetis):
    # given an application under review, asked to redo a file 12 calendar days ago
    today = timezone.localdate()
    with tenant_context(jetis):
        application = ApplicationFactory(status=Status.IN_REVIEW)
        verifier = make_staff(jetis, "sla.verif")
        document = application.documents.current().first()
        services.application_request_completion(
            application=application,
            actor=verifier,
            items=[services.RequirementNote(document.requirement_code, "Foto buram, unggah ulang.")],
        )
        asked_on = today - dt.timedelta(days=12)
        Application.objects.filter(pk=application.pk).update(
            completion_requested_at=timezone.make_aware(dt.datetime.combine(asked_on, dt.time(9)))
        )
        application.refresh_from_db()
        due_before = application.due_date

        # when the citizen uploads the file again today
        stored = _stored_pdf()
        services.application_complete(
            application=application, uploads={document.requirement_code: (document.requirement_name, stored)}
        )

        # then the due date moved by exactly the working days the clock stood still
        application.refresh_from_db()
        paused = working_days_between(asked_on, today)
        assert paused >= 8
        assert application.due_date == add_working_days(due_before, paused)
        event = Event.objects.filter(application=application, to_status=Status.RESUBMITTED).get()
        assert event.data["paused_working_days"] == paused
        # and the regency's fact carries the same due date
        assert ApplicationFact.objects.get(kecamatan=jetis, application_id=application.pk).due_date == (
            application.due_date
        )
    connection.set_schema_to_public()


def _stored_pdf():
    from django.core.files.uploadedfile import SimpleUploadedFile

    from sipentol.lib.uploads import store_upload
    from tests.applications.conftest import pdf_file

    upload = SimpleUploadedFile("ulang.pdf", pdf_file().read(), content_type="application/pdf")
    return store_upload(upload, original_name=upload.name, label="Berkas", accepted_types=["application/pdf"])


def test_the_queue_the_api_the_regency_figures_and_its_overdue_list_agree_on_what_is_overdue(jetis):
    # given applications of every kind of clock, some past their due date
    today = timezone.localdate()
    yesterday, long_ago = today - dt.timedelta(days=1), today - dt.timedelta(days=20)
    cases = {
        "late_review": (Status.IN_REVIEW, yesterday),  # overdue
        "late_submitted": (Status.SUBMITTED, long_ago),  # overdue
        "late_signature": (Status.AWAITING_SIGNATURE, long_ago),  # overdue
        "paused": (Status.NEEDS_COMPLETION, long_ago),  # clock paused: not overdue
        "due_today": (Status.VERIFIED, today),  # due today: not yet overdue
        "issued_late": (Status.ISSUED, long_ago),  # closed: not overdue
        "rejected": (Status.REJECTED, long_ago),  # closed: not overdue
    }
    codes = {}
    with tenant_context(jetis):
        for name, (status, due) in cases.items():
            application = ApplicationFactory(status=status, due_date=due)
            if status in (Status.ISSUED, Status.REJECTED):
                Application.objects.filter(pk=application.pk).update(closed_at=timezone.now())
                application.refresh_from_db()
            application_fact_publish(application)
            codes[application.tracking_code] = name
    connection.set_schema_to_public()
    expected = {"late_review", "late_submitted", "late_signature"}
    staff = staff_client(jetis, "sla.kepala")

    # when staff look at their queue and the API, and leaders at the regency figures
    page = staff.get("/kantor/?status=").content.decode()
    in_queue = set(re.findall(r'queue-item overdue">\s*<a [^>]*><strong>([A-Z0-9-]+)</strong>', page))
    rows = staff.get("/api/v1/kantor/permohonan/").json()
    in_api = {row["tracking_code"] for row in rows if row["overdue"]}
    with tenant_context(jetis):
        ids = dict(Application.objects.filter(tracking_code__in=codes).values_list("pk", "tracking_code"))
    connection.set_schema_to_public()
    in_facts = set(
        ApplicationFact.objects.filter(overdue_q(today), kecamatan=jetis, application_id__in=ids).values_list(
            "application_id", flat=True
        )
    )
    filters, _errors = parse_filters({"kecamatan": str(jetis.pk)})
    jetis_row = board_by_kecamatan(filters)[0]
    in_drill_down = {row.tracking_code for row in board_overdue(filters)}

    # then all three name exactly the same applications
    assert {codes[c] for c in in_queue if c in codes} == expected
    assert {codes[c] for c in in_api if c in codes} == expected
    assert {codes[ids[pk]] for pk in in_facts} == expected
    assert {codes[c] for c in in_drill_down} == expected
    assert jetis_row["kecamatan_id"] == jetis.pk and jetis_row["overdue"] == len(expected) == len(in_drill_down)
