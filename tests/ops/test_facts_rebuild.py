"""Recomputing the dashboards' facts from the ops console over HTTP, with the task run in this
process (inside the test's transaction, so nothing reaches the session's worker): the facts come
back, the run shows its progress and counts, the action is audited, and who may start it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from sipentol.accounts.models import RegencyRole, Role
from sipentol.ops.models import FactsRebuildRun
from sipentol.ops.tasks import facts_rebuild_run
from sipentol.regency.models import ApplicationFact, ComplaintFact
from tenants.crossing import EVERY, kecamatan_queryset
from tenants.models import OpsEvent
from tests.accounts.staff import public_sign_in, staff_client
from tests.factories import RegencyUserFactory
from tests.regency.helpers import submit

pytestmark = pytest.mark.django_db

PAGE = "/ops/fakta/"
START = "/ops/fakta/hitung-ulang/"


def _operator(role=RegencyRole.OPERATOR, **client_options) -> Client:
    client = Client(HTTP_HOST="localhost", **client_options)
    return public_sign_in(client, RegencyUserFactory(role=role), "/ops/")


def _complain(host: str) -> None:
    data = {"category": "time", "text": "Antrean lama.", "name": "", "contact": "", "tracking_code": ""}
    assert Client(HTTP_HOST=host).post("/pengaduan/", data).status_code == 302
    connection.set_schema_to_public()  # the request left the connection on the kecamatan's schema


def _row(page: str, run: FactsRebuildRun) -> str:
    start = page.index(f'data-run="{run.pk}"')
    return page[start : page.index("</section>", start)]


def test_it_brings_back_lost_application_and_complaint_facts_of_every_kecamatan_and_shows_the_run_done(
    jetis, jetis_client, mojosari, mojosari_client
):
    # given applications in two kecamatan and a complaint in one, whose facts were lost
    in_jetis = submit(jetis, jetis_client)
    in_mojosari = submit(mojosari, mojosari_client)
    _complain("jetis.localhost")
    written = set(ApplicationFact.objects.values_list("kecamatan_id", "application_id", "status"))
    ApplicationFact.objects.filter(application_id__in=[in_jetis.pk, in_mojosari.pk]).delete()
    ComplaintFact.objects.all().delete()
    ops = _operator()
    assert f'href="{PAGE}"' in ops.get("/ops/").content.decode()

    # when an operator queues the recomputation
    response = ops.post(START)

    # then it is queued, nothing is recomputed before the task runs, and the page refreshes itself
    assert response.status_code == 302 and response["Location"] == PAGE
    run = FactsRebuildRun.objects.get()
    assert run.status == FactsRebuildRun.Status.QUEUED
    assert not ApplicationFact.objects.filter(application_id__in=[in_jetis.pk, in_mojosari.pk]).exists()
    queued = ops.get(PAGE).content.decode()
    assert '<meta http-equiv="refresh" content="3">' in queued and "Menunggu" in _row(queued, run)
    assert f'action="{START}"' not in queued and 'id="facts-running"' in queued

    # when the task runs
    facts_rebuild_run.apply(args=[run.pk])

    # then the facts are back and the run shows done, every kecamatan counted
    assert set(ApplicationFact.objects.values_list("kecamatan_id", "application_id", "status")) == written
    assert list(ComplaintFact.objects.values_list("kecamatan_id", flat=True)) == [jetis.pk]
    run.refresh_from_db()
    total = kecamatan_queryset(EVERY).count()
    assert (run.status, run.done, run.total, run.complaints) == ("done", total, total, 1)
    assert run.applications == ApplicationFact.objects.count() and run.finished_at is not None
    page = ops.get(PAGE).content.decode()
    row = _row(page, run)
    assert "Selesai" in row and f"{total} dari {total} kecamatan" in row and f"· {run.started_by}</dd>" in row
    assert f'<dd class="applications">{run.applications}</dd>' in row and '<dd class="complaints">1</dd>' in row
    assert 'http-equiv="refresh"' not in page and f'action="{START}"' in page


def test_it_records_who_started_the_recomputation_in_the_ops_audit_trail(public_client):
    ops = _operator(REMOTE_ADDR="203.0.113.9")

    ops.post(START)

    run = FactsRebuildRun.objects.get()
    event = OpsEvent.objects.get(action="facts_rebuild")
    assert (event.actor, event.target, event.kecamatan) == (run.started_by, f"facts_rebuild:{run.pk}", None)
    assert event.ip_address == "203.0.113.9"


def test_it_starts_one_run_when_the_button_is_pressed_twice():
    ops = _operator()

    ops.post(START)
    again = ops.post(START, follow=True)

    assert FactsRebuildRun.objects.count() == 1
    assert OpsEvent.objects.filter(action="facts_rebuild").count() == 1
    assert "Penghitungan ulang sudah berjalan" in again.content.decode()


def test_it_starts_a_new_run_when_the_open_one_has_reported_nothing_for_fifteen_minutes():
    ops = _operator()
    ops.post(START)
    lost = FactsRebuildRun.objects.get()
    FactsRebuildRun.objects.filter(pk=lost.pk).update(updated_at=timezone.now() - dt.timedelta(minutes=16))

    ops.post(START)

    lost.refresh_from_db()
    assert lost.status == FactsRebuildRun.Status.FAILED and "no progress reported" in lost.error_message
    assert FactsRebuildRun.objects.filter(status=FactsRebuildRun.Status.QUEUED).count() == 1


def test_it_names_the_kecamatan_where_the_recomputation_stopped(jetis, mojosari):
    # given Mojosari's complaints table cannot be read (a broken schema)
    ops = _operator()
    ops.post(START)
    run = FactsRebuildRun.objects.get()
    with connection.cursor() as cursor:
        cursor.execute(f"ALTER TABLE {mojosari.schema_name}.feedback_complaint RENAME TO feedback_complaint_broken")

    facts_rebuild_run.apply(args=[run.pk])

    run.refresh_from_db()
    assert run.status == FactsRebuildRun.Status.FAILED and run.error_message.startswith(f"{mojosari.name}: ")
    names = list(kecamatan_queryset(EVERY).order_by("name").values_list("name", flat=True))
    assert run.done == names.index(mojosari.name)
    page = ops.get(PAGE).content.decode()
    row = _row(page, run)
    assert "Gagal" in row and "Penghitungan ulang berhenti" in row and f"{mojosari.name}: " in row


def test_it_changes_nothing_on_get():
    ops = _operator()

    page = ops.get(PAGE)
    start = ops.get(START)

    assert page.status_code == 200 and f'action="{START}"' in page.content.decode()
    assert start.status_code == 405
    assert not FactsRebuildRun.objects.exists() and not OpsEvent.objects.filter(action="facts_rebuild").exists()


def test_it_refuses_a_post_without_the_csrf_token():
    ops = _operator()
    ops.handler.enforce_csrf_checks = True  # as a browser's request from another site would be checked

    response = ops.post(START)

    assert response.status_code == 403 and not FactsRebuildRun.objects.exists()


def test_it_shows_a_help_desk_account_the_runs_without_the_button_and_refuses_its_post():
    desk = _operator(RegencyRole.HELPDESK)

    page = desk.get(PAGE).content.decode()
    refused = desk.post(START)

    assert f'action="{START}"' not in page and "Hanya admin dan operator Diskominfo" in page
    assert refused.status_code == 403 and not FactsRebuildRun.objects.exists()


def test_it_sends_an_anonymous_visitor_to_the_sign_in_and_starts_nothing(public_client):
    page = public_client.get(PAGE)
    start = public_client.post(START)

    assert page.status_code == 302 and page["Location"].startswith("/ops/masuk/")
    assert start.status_code == 302 and start["Location"].startswith("/ops/masuk/")
    assert not FactsRebuildRun.objects.exists()


def test_it_gives_kecamatan_staff_on_their_host_no_such_page(jetis):
    admin = staff_client(jetis, "admin-fakta", Role.ADMIN)

    page = admin.get(PAGE)
    start = admin.post(START)

    assert page.status_code == 404 and start.status_code == 404
    assert not FactsRebuildRun.objects.exists()
