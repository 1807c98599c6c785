"""Regency leadership compares kecamatan at BASE_DOMAIN/dashboard/, from the public fact table only."""

from __future__ import annotations

import datetime as dt
import re

from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tenants.utils import tenant_context

from sipentol.accounts.models import RegencyRole
from sipentol.applications import lifecycle
from sipentol.regency.models import ApplicationFact
from tests.accounts.staff import PASSWORD, make_staff, public_sign_in
from tests.factories import RegencyUserFactory

from .helpers import publish_fact, submit


def leader(username: str = "pimpinan"):
    return RegencyUserFactory(username=username, role=RegencyRole.LEADER, totp_enrolled=False)


def row_cells(page: str, name: str) -> list[str]:
    """The text of each cell of the table row headed `name` (the first table holding it)."""
    row = re.search(rf"<tr>\s*<th scope=\"row\">{re.escape(name)}</th>(.*?)</tr>", page, re.S).group(1)
    return [" ".join(re.sub(r"<[^>]+>", " ", cell).split()) for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]


def fact(kecamatan, n: int, *, submitted: dt.datetime, **fields) -> ApplicationFact:
    defaults = {
        "service_code": "domisili",
        "service_name": "Surat Keterangan Domisili",
        "channel": "online",
        "status": "submitted",
        "due_date": timezone.localdate(submitted) + dt.timedelta(days=5),
        "sla_working_days": 3,
    }
    fields = defaults | fields
    # The application records whether its SLA clock runs; the lifecycle decides it by status.
    fields.setdefault("clock_running", lifecycle.clock_running(fields["status"]))
    return publish_fact(kecamatan, application_id=100_000 + n, submitted_at=submitted, **fields)


def test_it_sends_an_anonymous_visitor_to_the_login_page(public_client):
    response = public_client.get("/dashboard/")

    assert response.status_code == 302
    assert response["Location"].startswith("/dashboard/masuk/?next=/dashboard/")
    assert "Masuk dasbor pimpinan" in public_client.get(response["Location"]).content.decode()


def test_it_refuses_a_kecamatan_staff_account_on_the_regency_host(jetis, public_client):
    make_staff(jetis, "petugas-jetis")

    response = public_client.post("/dashboard/masuk/", {"username": "petugas-jetis", "password": PASSWORD})

    assert response.status_code == 400
    assert "Nama pengguna atau kata sandi salah" in response.content.decode()
    assert public_client.get("/dashboard/")["Location"].startswith("/dashboard/masuk/")


def test_it_tells_a_regency_user_without_the_pimpinan_role_whom_to_ask(public_client):
    # signed in elsewhere on the regency host (say the ops console), then opening the dashboard
    public_client.force_login(get_user_model().objects.create_user("tamu", password=PASSWORD))

    response = public_client.get("/dashboard/")

    assert response.status_code == 403
    assert "Minta Diskominfo menambahkan akun Anda ke peran Pimpinan" in response.content.decode()


def test_it_lets_a_leader_log_in_and_compare_two_kecamatan(
    jetis, jetis_client, mojosari, mojosari_client, public_client
):
    # given: Jetis got two applications this month (one issued on time, one overdue and open),
    # Mojosari one issued late this month and one from five months ago
    now = timezone.now()
    today = timezone.localdate()
    fact(jetis, 1, submitted=now, status="issued", closed_at=now, issued_at=now, working_days_taken=2, on_time=True)
    fact(jetis, 2, submitted=now, status="in_review", due_date=today - dt.timedelta(days=1))
    fact(mojosari, 3, submitted=now, status="issued", closed_at=now, issued_at=now, working_days_taken=6, on_time=False)
    fact(mojosari, 4, submitted=now - dt.timedelta(days=150), status="rejected", closed_at=now - dt.timedelta(days=149))
    leader()

    # when the leader logs in on the regency host
    public_sign_in(public_client, get_user_model().objects.get(username="pimpinan"))
    page = public_client.get("/dashboard/").content.decode()

    # then each kecamatan has its row: submitted, issued, in progress, overdue, SLA %, median and P90
    # lead time, completion requests %, IKM, grade
    assert row_cells(page, "Jetis") == ["2", "1", "1", "1", "100", "2", "2", "0", "–", "–"]
    assert row_cells(page, "Mojosari") == ["1", "1", "0", "0", "0", "6", "6", "0", "–", "–"]
    assert row_cells(page, "Surat Keterangan Domisili")[:4] == ["3", "2", "1", "1"]
    assert 'style="' not in page


def test_it_shows_an_earlier_month_chosen_in_the_period_filter(jetis, public_client):
    now = timezone.now()
    fact(
        jetis,
        1,
        submitted=now - dt.timedelta(days=40),
        status="issued",
        closed_at=now - dt.timedelta(days=39),
        issued_at=now - dt.timedelta(days=39),
        working_days_taken=1,
        on_time=True,
    )
    public_sign_in(public_client, leader())
    month = (timezone.localdate() - dt.timedelta(days=40)).strftime("%Y-%m")

    this_month = public_client.get("/dashboard/").content.decode()
    chosen = public_client.get(f"/dashboard/?bulan={month}").content.decode()

    assert row_cells(this_month, "Jetis")[:2] == ["0", "0"]
    assert row_cells(chosen, "Jetis")[:2] == ["1", "1"] and row_cells(chosen, "Jetis")[5] == "1"
    assert f'name="dari" type="date" value="{month}-01"' in chosen
    wrong = public_client.get("/dashboard/?bulan=bukan-bulan").content.decode()
    assert "Bulan bukan-bulan tidak dikenal; ditampilkan bulan ini." in wrong  # and this month is shown
    assert row_cells(wrong, "Jetis")[:2] == ["0", "0"]


def test_it_counts_a_real_submission_and_never_queries_a_kecamatan_schema(
    jetis, jetis_client, public_client, django_assert_max_num_queries
):
    submit(jetis, jetis_client)
    public_sign_in(public_client, leader())
    connection.set_schema_to_public()

    with CaptureQueriesContext(connection) as queries:
        page = public_client.get("/dashboard/").content.decode()

    assert row_cells(page, "Jetis")[0] == "1"
    # search_path + session + user + the verified second-factor device + the account's regency role, then per
    # section: kecamatan (the page's kecamatan and their count, their counters, lead times and open facts),
    # totals once for both tables (counters, lead times, open facts), service (counters, lead times, open
    # facts, names), trend (counters, lead times), overdue (count, 10 rows), the filter form's kecamatan and
    # services, the complaints section (facts, Diskominfo's deadlines) and the desa section (facts, desa,
    # kecamatan names), each computed once per page: the same count for 18 kecamatan as for 1,000
    assert len(queries) <= 28, [q["sql"] for q in queries]
    # accounts_regencyprofile is the public schema's (the leader's role); staff tables are the kecamatan's
    tenant_tables = ("applications_", "letters_", "configured_services_", "notifications_", "accounts_staff")
    for query in queries:
        sql = query["sql"]
        assert not any(table in sql for table in tenant_tables), sql
        assert "search_path" not in sql or sql == 'SET search_path = "public"', sql
    assert connection.schema_name == "public"


def test_it_shows_the_skm_index_of_rated_applications(jetis, jetis_client, public_client):
    # given a citizen who got the letter and answered the SKM survey (3 on 8 unsur, 4 on one)
    from sipentol.feedback.services import skm_submit
    from sipentol.feedback.skm import UNSUR_FIELDS

    from .helpers import issue

    application = issue(jetis, submit(jetis, jetis_client))
    answers = dict.fromkeys(UNSUR_FIELDS, 3) | {UNSUR_FIELDS[0]: 4}
    with tenant_context(jetis):
        skm_submit(application=application, answers=answers)
    connection.set_schema_to_public()
    assert ApplicationFact.objects.get(kecamatan=jetis, application_id=application.pk).skm_total == 28

    public_sign_in(public_client, leader())
    page = public_client.get("/dashboard/").content.decode()

    # then IKM = 28 x 0.111 x 25 = 77,70 (mutu B), from 1 respondent
    assert row_cells(page, "Jetis")[-2:] == ["77,7", "B"]  # Indonesian decimal comma
