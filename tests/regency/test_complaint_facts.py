"""Complaint facts on the regency board: feedback publishes each complaint's stage to the public
schema; the regency section counts open, due and overdue per kecamatan with the one clock and
Diskominfo's deadlines, which the ops console sets (audited, cached, read by every kecamatan)."""

import datetime as dt
import io

from django.core.management import call_command
from django.db import connection
from django.test import Client, RequestFactory
from django.utils import timezone
from django_tenants.utils import tenant_context

from sipentol.accounts.models import RegencyRole, Role
from sipentol.feedback.models import Complaint
from sipentol.feedback.selectors import complaint_clock_of
from sipentol.feedback.services import complaint_fact_publish
from sipentol.lib.dashboards import Filters, sections
from sipentol.regency.dashboard_sections import complaints_section
from sipentol.regency.models import ComplaintDeadlines, ComplaintFact
from tenants.models import OpsEvent
from tests.accounts.staff import public_sign_in, staff_client
from tests.factories import RegencyUserFactory

FRIDAY = dt.date(2026, 8, 14)  # 17 August (Monday) is Independence Day


def _complain(host: str, text: str = "Antrean lama.") -> str:
    client = Client(HTTP_HOST=host)
    data = {"category": "time", "text": text, "name": "", "contact": "", "tracking_code": ""}
    assert client.post("/pengaduan/", data).status_code == 302
    reference = client.session["complaint_sent"]["reference"]
    connection.set_schema_to_public()  # the request left the connection on the kecamatan's schema
    return reference


def _section(today: dt.date, kecamatan_id=None):
    now = timezone.now()
    filters = Filters(now - dt.timedelta(days=60), now, today, kecamatan_id=kecamatan_id)
    request = RequestFactory().get("/dashboard/")
    return complaints_section.tables(request, filters)[0].rows, complaints_section.render(request, filters)


def test_each_complaint_change_updates_its_fact_and_the_regency_board_counts_open_due_overdue(jetis, mojosari):
    # given two complaints in Jetis and one in Mojosari, all received on Friday 14 August 2026
    jetis_refs = [_complain("jetis.localhost"), _complain("jetis.localhost")]
    _complain("mojosari.localhost")
    assert ComplaintFact.objects.count() == 3 and set(ComplaintFact.objects.values_list("stage", flat=True)) == {
        "received"
    }
    for kecamatan in (jetis, mojosari):
        with tenant_context(kecamatan):
            for complaint in Complaint.objects.all():
                complaint.received_on = FRIDAY
                complaint.save()
                complaint_fact_publish(complaint)  # the received day moved by hand: publish it again

    # when Jetis's Camat verifies one complaint
    camat = staff_client(jetis, "camat-fakta", Role.CAMAT)
    with tenant_context(jetis):
        pk = Complaint.objects.get(reference=jetis_refs[0]).pk
    camat.post(f"/kantor/pengaduan/{pk}/tanggapi/", {"response": "Diteruskan.", "status": "diverifikasi"})
    assert ComplaintFact.objects.filter(kecamatan=jetis, complaint_id=pk).get().stage == "verified"

    # then on Friday 21st (the 3-day deadline was Thursday 20th): Jetis has 2 open, 1 overdue (the
    # unverified one) and 1 due (the verified one's 5-day deadline is Monday 24th, one working day
    # on); Mojosari 1 open, 1 overdue. Rows: (kecamatan, open, due, overdue).
    assert complaints_section in sections("regency")
    rows, html = _section(dt.date(2026, 8, 21))
    assert ("Jetis", 2, 1, 1) in rows and ("Mojosari", 1, 0, 1) in rows
    assert "Jetis" in html and "Antrean lama." not in html
    only_jetis, _html = _section(dt.date(2026, 8, 21), kecamatan_id=jetis.pk)
    assert only_jetis == [("Jetis", 2, 1, 1)]

    # and a resolved complaint leaves the counts
    camat.post(f"/kantor/pengaduan/{pk}/tanggapi/", {"response": "Selesai.", "status": "selesai"})
    rows, _html = _section(dt.date(2026, 8, 21), kecamatan_id=jetis.pk)
    assert rows == [("Jetis", 1, 0, 1)]


def test_diskominfo_sets_the_deadlines_every_kecamatan_uses_audited_and_an_operator_cannot(public_client, jetis):
    admin = RegencyUserFactory(username="ops-tenggat", role=RegencyRole.DISKOMINFO_ADMIN)
    ops = public_sign_in(public_client, admin, "/ops/")
    assert 'value="3"' in ops.get("/ops/pengaduan/tenggat/").content.decode()

    saved = ops.post("/ops/pengaduan/tenggat/simpan/", {"verify": "2", "follow_up": "4", "resolve": "8"})
    refused = ops.post("/ops/pengaduan/tenggat/simpan/", {"verify": "9", "follow_up": "4", "resolve": "8"}, follow=True)

    assert saved.status_code == 302
    assert "Tenggat tidak diubah" in refused.content.decode()
    row = ComplaintDeadlines.objects.get()
    assert (row.verify_days, row.follow_up_days, row.resolve_days) == (2, 4, 8)
    assert OpsEvent.objects.filter(action="complaint_deadlines_set", actor="ops-tenggat").count() == 1
    # a kecamatan's clock now gives 2 working days to verify: Friday 14th -> Wednesday 19th
    ref = _complain("jetis.localhost")
    with tenant_context(jetis):
        complaint = Complaint.objects.get(reference=ref)
        complaint.received_on = FRIDAY
        assert complaint_clock_of(complaint, today=FRIDAY).deadline == dt.date(2026, 8, 19)

    operator = RegencyUserFactory(role=RegencyRole.OPERATOR)
    other = public_sign_in(Client(HTTP_HOST="localhost"), operator, "/ops/")
    denied = other.post("/ops/pengaduan/tenggat/simpan/", {"verify": "5", "follow_up": "5", "resolve": "5"})
    assert denied.status_code == 403 and ComplaintDeadlines.objects.get().verify_days == 2


def test_the_rebuild_command_publishes_complaints_that_have_no_fact_yet(jetis):
    ref = _complain("jetis.localhost")
    ComplaintFact.objects.all().delete()  # as for complaints made before the facts existed

    call_command("complaint_facts_rebuild", "--kecamatan", "jetis", stdout=io.StringIO())
    call_command("complaint_facts_rebuild", "--kecamatan", "jetis", stdout=io.StringIO())  # idempotent

    with tenant_context(jetis):
        pk = Complaint.objects.get(reference=ref).pk
    assert list(ComplaintFact.objects.values_list("kecamatan_id", "complaint_id", "stage")) == [
        (jetis.pk, pk, "received")
    ]
