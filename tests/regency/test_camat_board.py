"""The Camat's dashboard (/kantor/dasbor/): the regency's figures of its own kecamatan only, the
staff's workload, the letters waiting for signature; Camat, Sekcam and admin only."""

from __future__ import annotations

import datetime as dt
import io
import re

import openpyxl
from django.db import connection
from django.utils import timezone
from django_tenants.utils import tenant_context

from sipentol.accounts.models import Role
from sipentol.applications.facts import application_fact_publish
from sipentol.applications.models import Status
from sipentol.letters.models import Letter, LetterEvent
from sipentol.lib.workdays import working_days_between
from tests.accounts.staff import make_staff, staff_client
from tests.factories import ApplicationFactory, LetterFactory

from .test_dashboard import fact, row_cells


def _jetis_office(jetis):
    """Two open applications assigned to Budi (one overdue), one unassigned and overdue, one letter
    waiting for signature since three days ago."""
    today = timezone.localdate()
    with tenant_context(jetis):
        budi = make_staff(jetis, "budi")
        for status, due, staff in (
            (Status.IN_REVIEW, today - dt.timedelta(days=5), budi),
            (Status.VERIFIED, today + dt.timedelta(days=5), budi),
            (Status.SUBMITTED, today - dt.timedelta(days=2), None),
        ):
            application = ApplicationFactory(status=status, due_date=due, assigned_to=staff)
            application_fact_publish(application)
        letter = LetterFactory(status=Letter.Status.AWAITING_SIGNATURE, number=None, title="Surat Keterangan Usaha")
        event = LetterEvent.objects.create(letter=letter, action="submit", to_status=Letter.Status.AWAITING_SIGNATURE)
        LetterEvent.objects.filter(pk=event.pk).update(at=timezone.now() - dt.timedelta(days=3))
    connection.set_schema_to_public()


def test_the_camat_sees_the_figures_of_their_kecamatan_only_with_workload_and_letters(jetis, mojosari):
    _jetis_office(jetis)
    fact(
        mojosari, 9, submitted=timezone.now(), status="in_review", due_date=timezone.localdate() - dt.timedelta(days=3)
    )
    camat = staff_client(jetis, "camat.jetis", Role.CAMAT)

    # another kecamatan in the URL changes nothing: the Camat's board is its own kecamatan
    page = camat.get(f"/kantor/dasbor/?kecamatan={mojosari.pk}").content.decode()

    assert row_cells(page, "Semua layanan")[:4] == ["3", "0", "3", "2"]
    assert "Mojosari" not in page
    assert row_cells(page, "Budi") == ["budi", "2", "1"]
    assert row_cells(page, "Belum ditugaskan") == ["–", "1", "1"]
    waiting = row_cells(page, "Surat Keterangan Usaha")
    three_days_ago = timezone.localdate(timezone.now() - dt.timedelta(days=3))
    assert waiting[1] == str(working_days_between(three_days_ago, timezone.localdate()))
    assert 'href="/kantor/dasbor/"' in page  # the back-office menu links the board


def test_the_camat_board_drill_down_opens_each_application_in_the_back_office(jetis):
    _jetis_office(jetis)
    camat = staff_client(jetis, "sekcam.jetis", Role.SEKCAM)

    drill = camat.get("/kantor/dasbor/terlambat/").content.decode()

    links = re.findall(r'<th scope="row"><a href="/kantor/permohonan/(\d+)/">', drill)
    assert len(links) == 2
    workbook = openpyxl.load_workbook(io.BytesIO(camat.get("/kantor/dasbor/unduh/beban-petugas.xlsx").content))
    rows = [[c.value for c in row] for row in workbook.active.iter_rows()]
    assert ["Budi", "budi", 2, 1] in rows


def test_a_verifier_may_not_open_the_camat_board_and_does_not_see_its_link(jetis):
    verifier = staff_client(jetis, "petugas.jetis", Role.VERIFIER)

    assert verifier.get("/kantor/dasbor/").status_code == 403
    assert verifier.get("/kantor/dasbor/unduh/layanan.xlsx").status_code == 403
    assert 'href="/kantor/dasbor/"' not in verifier.get("/kantor/").content.decode()


def test_a_kecamatan_account_cannot_open_the_regency_dashboard(jetis, public_client):
    camat = staff_client(jetis, "camat.lain", Role.CAMAT)
    public_client.cookies = camat.cookies  # the kecamatan session replayed on the regency host

    response = public_client.get("/dashboard/")

    assert response.status_code == 302 and response["Location"].startswith("/dashboard/masuk/")
    assert public_client.get("/dashboard/unduh/kecamatan.xlsx").status_code == 302
