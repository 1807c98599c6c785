"""Usage against quota per kecamatan, from the regency facts, shown in the ops console."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.utils import timezone

from billing_and_quota.models import Plan, Subscription
from sipentol.accounts.models import RegencyRole
from sipentol.ops.selectors import usage_for
from sipentol.regency.models import ApplicationFact
from tests.accounts.staff import public_sign_in
from tests.factories import RegencyUserFactory
from tests.regency.helpers import issue, submit


def test_it_counts_this_months_applications_and_letters_against_the_standard_plan(jetis, jetis_client, mojosari):
    submit(jetis, jetis_client)
    issue(jetis, submit(jetis, jetis_client))
    # last month's application does not count this month
    ApplicationFact.objects.create(
        kecamatan=jetis,
        application_id=900_001,
        service_code="domisili",
        service_name="Domisili",
        channel="online",
        status="submitted",
        submitted_at=timezone.now() - dt.timedelta(days=40),
    )

    usage = usage_for(jetis)

    assert usage.plan.name == "Standar" and usage.quota == 2000
    assert (usage.applications_submitted, usage.letters_issued) == (2, 1)
    assert usage.percent == 0 and not usage.warning
    assert usage_for(mojosari).applications_submitted == 0
    last_month = (timezone.localdate().replace(day=1) - dt.timedelta(days=1)).strftime("%Y-%m")
    if timezone.localdate().day > 10:  # 40 days ago is last month only after the 10th
        assert usage_for(jetis, last_month).applications_submitted == 1


def test_it_warns_diskominfo_in_the_ops_console_at_80_percent_of_the_quota(jetis, mojosari, public_client):
    small = Plan.objects.create(name="Uji coba", monthly_application_quota=5, storage_quota_gb=1)
    Subscription.objects.create(kecamatan=jetis, plan=small)
    now = timezone.now()
    for n in range(4):
        ApplicationFact.objects.create(
            kecamatan=jetis,
            application_id=800_000 + n,
            service_code="domisili",
            service_name="Domisili",
            channel="online",
            status="issued" if n == 0 else "submitted",
            submitted_at=now,
            closed_at=now if n == 0 else None,
            issued_at=now if n == 0 else None,
        )
    ApplicationFact.objects.create(
        kecamatan=mojosari,
        application_id=800_010,
        service_code="domisili",
        service_name="Domisili",
        channel="online",
        status="submitted",
        submitted_at=now,
    )
    ops = RegencyUserFactory(username="ops-uji", role=RegencyRole.OPERATOR, totp_enrolled=False)
    public_sign_in(public_client, ops, "/ops/")

    page = public_client.get("/ops/").content.decode()

    jetis_row = page[page.index(">Jetis<") : page.index("</tr>", page.index(">Jetis<"))]
    mojosari_row = page[page.index(">Mojosari<") : page.index("</tr>", page.index(">Mojosari<"))]
    assert "4 / 5 permohonan (paket Uji coba)" in jetis_row and "80%" in jetis_row
    assert "Peringatan: pemakaian sudah 80% kuota atau lebih." in jetis_row
    assert "1 surat terbit" in jetis_row
    assert "1 / 2000 permohonan (paket Standar)" in mojosari_row and "Peringatan" not in mojosari_row


def test_it_keeps_the_ops_console_closed_to_a_leader_without_staff_rights(public_client):
    user = get_user_model().objects.create_user("bukan-ops", password="kata-sandi-uji-2026")
    public_client.force_login(user)

    response = public_client.get("/ops/")

    assert response.status_code == 403
    assert "Peran Anda tidak mencakup" in response.content.decode()
