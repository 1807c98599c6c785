"""Usage against quota per kecamatan, counted as applications are submitted and letters issued,
shown in the ops console."""

from __future__ import annotations

from django.contrib.auth import get_user_model

from billing_and_quota.models import Subscription
from sipentol.accounts.models import RegencyRole
from sipentol.ops.selectors import usage_for
from tenants.crossing import EVERY, kecamatan_queryset
from tests.accounts.staff import public_sign_in
from tests.factories import RegencyUserFactory
from tests.regency.helpers import issue, submit

from .factories import counted, on_plan


def test_it_gives_every_kecamatan_one_subscription_on_the_default_plan(jetis):
    kecamatan = list(kecamatan_queryset(EVERY))

    assert len(kecamatan) == 18
    assert Subscription.objects.filter(kecamatan__in=kecamatan, plan__is_default=True).count() == 18


def test_it_counts_this_months_applications_and_letters_against_the_standard_plan(jetis, jetis_client, mojosari):
    submit(jetis, jetis_client)
    issue(jetis, submit(jetis, jetis_client))

    usage = usage_for(jetis)

    assert usage.plan.name == "Standar" and usage.quota == 2000
    assert (usage.applications_submitted, usage.letters_issued) == (2, 1)
    assert usage.percent == 0 and not usage.warning
    assert usage_for(mojosari).applications_submitted == 0


def test_it_warns_diskominfo_in_the_ops_console_at_80_percent_of_the_quota(jetis, mojosari, public_client):
    on_plan(jetis, name="Uji coba", monthly_application_quota=5, storage_quota_gb=1)
    counted(jetis, 4)
    counted(mojosari, 1)
    ops = RegencyUserFactory(username="ops-uji", role=RegencyRole.OPERATOR, totp_enrolled=False)
    public_sign_in(public_client, ops, "/ops/")

    page = public_client.get("/ops/").content.decode()

    jetis_row = page[page.index(">Jetis<") : page.index("</tr>", page.index(">Jetis<"))]
    mojosari_row = page[page.index(">Mojosari<") : page.index("</tr>", page.index(">Mojosari<"))]
    assert "4 / 5 permohonan (paket Uji coba)" in jetis_row and "80%" in jetis_row
    assert "Peringatan: pemakaian sudah 80% kuota atau lebih." in jetis_row
    assert "1 / 2000 permohonan (paket Standar)" in mojosari_row and "Peringatan" not in mojosari_row


def test_it_keeps_the_ops_console_closed_to_a_leader_without_staff_rights(public_client):
    user = get_user_model().objects.create_user("bukan-ops", password="kata-sandi-uji-2026")
    public_client.force_login(user)

    response = public_client.get("/ops/")

    assert response.status_code == 403
    assert "Peran Anda tidak mencakup" in response.content.decode()
