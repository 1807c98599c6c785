"""Complaints on the SP4N-LAPOR! clock: identity options, the complainant's lookup, stages and
deadlines in working days on the Camat's board, notifications of each response."""

import datetime as dt

from django.test import Client, RequestFactory
from django.utils import timezone
from django_tenants.utils import tenant_context

from sipentol.accounts.models import Role
from sipentol.feedback.dashboard_sections import complaints_due
from sipentol.feedback.models import Complaint
from sipentol.lib.dashboards import Filters, sections
from sipentol.notifications.models import OutboxMessage
from tests.accounts.staff import staff_client

NAME, PHONE, NIK = "Siti Rahayu", "081234567890", "3516161203850001"


def _complain(client, **values):
    data = {"category": "staff", "text": "Petugas tidak ramah.", "name": "", "contact": "", "tracking_code": ""}
    return client.post("/pengaduan/", {**data, **values})


def _sent(client, **values) -> tuple[str, str, str]:
    """Complain; returns (reference, secret code, the sent page)."""
    response = _complain(client, **values)
    assert response.status_code == 302, response.content[:300]
    page = client.get(response["Location"]).content.decode()
    codes = [line.split(">")[1].split("<")[0] for line in page.splitlines() if 'class="tracking-code"' in line]
    return codes[0], codes[1], page


def _board(today: dt.date):
    now = timezone.now()
    filters = Filters(start=now - dt.timedelta(days=60), end=now + dt.timedelta(days=1), today=today)
    return complaints_due.tables(RequestFactory().get("/"), filters)[0], complaints_due.render(
        RequestFactory().get("/"), filters
    )


def test_an_anonymous_complaint_keeps_no_identity_and_is_read_back_with_reference_and_code(jetis):
    citizen = Client(HTTP_HOST="jetis.localhost")
    reference, code, page = _sent(citizen, identity="anonim", name=NAME, contact=PHONE)

    assert "tidak meninggalkan kontak" in page
    with tenant_context(jetis):
        complaint = Complaint.objects.get(reference=reference)
        assert complaint.name == "" and not complaint.has_contact and complaint.lookup_hash
        assert code not in complaint.lookup_hash  # only its hash is stored
    camat = staff_client(jetis, "camat-anon", Role.CAMAT)
    camat.post(
        f"/kantor/pengaduan/{complaint.pk}/tanggapi/", {"response": "Petugas sudah ditegur.", "status": "selesai"}
    )

    found = Client(HTTP_HOST="jetis.localhost").post("/pengaduan/lacak/", {"reference": reference, "code": code})
    assert found.status_code == 200
    shown = found.content.decode()
    assert "Petugas sudah ditegur." in shown and "Selesai" in shown and "camat-anon" not in shown
    with tenant_context(jetis):
        assert not OutboxMessage.objects.filter(template="complaint_responded").exists()


def test_a_wrong_code_finds_nothing_and_lookups_are_rate_limited(jetis):
    citizen = Client(HTTP_HOST="jetis.localhost")
    reference, code, _page = _sent(citizen)
    stranger = Client(HTTP_HOST="jetis.localhost")

    wrong = stranger.post("/pengaduan/lacak/", {"reference": reference, "code": "AAAAAAAAAA"})
    assert wrong.status_code == 404 and "tidak cocok" in wrong.content.decode()
    for _ in range(9):
        stranger.post("/pengaduan/lacak/", {"reference": reference, "code": "AAAAAAAAAA"})
    blocked = stranger.post("/pengaduan/lacak/", {"reference": reference, "code": code})
    assert blocked.status_code == 429 and "Petugas tidak ramah." not in blocked.content.decode()
    # and another kecamatan does not know the reference at all
    other = Client(HTTP_HOST="mojosari.localhost").post("/pengaduan/lacak/", {"reference": reference, "code": code})
    assert other.status_code == 404


def test_a_confidential_complaint_hides_the_identity_from_staff_but_each_response_reaches_the_complainant(jetis):
    citizen = Client(HTTP_HOST="jetis.localhost")
    reference, _code, _page = _sent(citizen, identity="rahasia", name=NAME, contact=PHONE)
    camat = staff_client(jetis, "camat-rahasia", Role.CAMAT)
    with tenant_context(jetis):
        complaint = Complaint.objects.get(reference=reference)
        assert complaint.name == NAME  # kept, to answer
    listing = camat.get("/kantor/pengaduan/").content.decode()
    assert reference in listing and "dirahasiakan" in listing
    assert NAME not in listing and "1234567890" not in listing

    url = f"/kantor/pengaduan/{complaint.pk}/tanggapi/"
    camat.post(url, {"response": "Diteruskan ke Sekcam.", "status": "diverifikasi"})
    camat.post(url, {"response": "Sedang diperiksa.", "status": "ditindaklanjuti"})
    camat.post(url, {"response": "Petugas sudah ditegur.", "status": "selesai"})
    back = camat.post(url, {"response": "Dibuka lagi.", "status": "diverifikasi"}, follow=True)

    assert "tidak dapat mundur" in back.content.decode()
    with tenant_context(jetis):
        complaint.refresh_from_db()
        assert complaint.status == "selesai"
        assert complaint.verified_at <= complaint.followed_up_at <= complaint.resolved_at
        bodies = list(OutboxMessage.objects.filter(template="complaint_responded").values_list("body", flat=True))
    assert len(bodies) == 3 and all(reference in body for body in bodies)


def test_the_camats_board_flags_due_and_overdue_complaints_counted_in_working_days_across_a_holiday(jetis):
    # given complaints received on Friday 14 August 2026 (17 August, Monday, is Independence Day)
    citizen = Client(HTTP_HOST="jetis.localhost")
    received = dt.date(2026, 8, 14)
    refs = [_sent(citizen, text=f"Keluhan {i}.")[0] for i in range(3)]
    with tenant_context(jetis):
        Complaint.objects.filter(reference__in=refs).update(received_on=received)
        Complaint.objects.filter(reference=refs[1]).update(status="diverifikasi")  # waits for follow-up (5)
        Complaint.objects.filter(reference=refs[2]).update(status="selesai")

        # on Wednesday 19th (the day before the 3-day deadline, Thursday 20th) the first is due
        table, html = _board(dt.date(2026, 8, 19))
        assert complaints_due in sections("camat")
        assert [(r[0], r[3], r[4]) for r in table.rows] == [(refs[0], dt.date(2026, 8, 20), 0)]
        assert refs[0] in html and NAME not in html

        # on Friday 21st the first is one working day late; the verified one (5 days: Monday 24th) is due
        table, _html = _board(dt.date(2026, 8, 21))
        assert [(r[0], r[2], r[4]) for r in table.rows] == [
            (refs[0], "Menunggu verifikasi/diteruskan", 1),
            (refs[1], "Menunggu tindak lanjut", 0),
        ]

        # on Monday 24th: the first 2 days late, the verified one due on its deadline; the resolved one never
        table, _html = _board(dt.date(2026, 8, 24))
        assert [(r[0], r[4]) for r in table.rows] == [(refs[0], 2), (refs[1], 0)]


def test_public_complaint_pages_carry_no_nik_name_or_phone(jetis):
    citizen = Client(HTTP_HOST="jetis.localhost")
    reference, code, sent = _sent(citizen, name=NAME, contact=PHONE, text=f"Saya {NAME}, NIK {NIK}, HP {PHONE}.")
    camat = staff_client(jetis, "camat-pub", Role.CAMAT)
    with tenant_context(jetis):
        complaint = Complaint.objects.get(reference=reference)
    camat.post(f"/kantor/pengaduan/{complaint.pk}/tanggapi/", {"response": "Kami cek.", "status": "diverifikasi"})
    status = citizen.post("/pengaduan/lacak/", {"reference": reference, "code": code}).content.decode()
    results = citizen.get("/survei/hasil/").content.decode()
    form = citizen.get("/pengaduan/lacak/").content.decode()
    complaint_form = citizen.get("/pengaduan/").content.decode()
    assert "memperlihatkan permohonan itu, dengan nama pemohonnya, kepada petugas" in complaint_form

    for page in (sent, form, results):
        assert NIK not in page and NAME not in page and PHONE not in page and "+6281234567890" not in page
    # the status page shows the step's deadline, the complainant's own text with the NIK masked,
    # and never the stored contact
    assert "Batas waktu tahap ini" in status and "Kami cek." in status
    assert NIK not in status and "3516********0001" in status and "+6281234567890" not in status
