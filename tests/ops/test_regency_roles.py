"""Diskominfo and regency accounts are held to accounts/permissions.REGENCY_PERMISSIONS, over HTTP."""

from __future__ import annotations

import pytest

from sipentol.accounts.models import RegencyRole
from sipentol.accounts.permissions import REGENCY_PERMISSIONS, RegencyCapability
from tenants.models import Kecamatan, OpsEvent
from tests.accounts.staff import public_sign_in
from tests.factories import RegencyUserFactory

pytestmark = pytest.mark.django_db


def _signed_in(client, role, prefix="/ops/"):
    user = RegencyUserFactory(role=role)
    return public_sign_in(client, user, prefix), user


def test_it_refuses_a_suspension_by_a_help_desk_account_and_keeps_the_status(jetis, public_client):
    client, _user = _signed_in(public_client, RegencyRole.HELPDESK)

    response = client.post("/ops/kecamatan/jetis/status/", {"status": "suspended", "reason": "uji"})

    assert response.status_code == 403
    assert "Peran Anda tidak mencakup" in response.content.decode()
    assert Kecamatan.objects.get(pk=jetis.pk).status == jetis.status
    assert not OpsEvent.objects.filter(kecamatan=jetis, action="status").exists()


def test_it_lets_an_operator_suspend_with_a_reason_and_records_who(jetis, public_client):
    client, user = _signed_in(public_client, RegencyRole.OPERATOR)

    response = client.post("/ops/kecamatan/jetis/status/", {"status": "suspended", "reason": "insiden keamanan"})

    assert response.status_code == 302
    assert Kecamatan.objects.get(pk=jetis.pk).status == Kecamatan.Status.SUSPENDED
    event = OpsEvent.objects.get(kecamatan=jetis, action="status")
    assert (event.actor, event.reason) == (user.username, "insiden keamanan")


def test_it_shows_a_leader_the_forbidden_page_on_the_console_and_the_dashboard_page_on_the_dashboard(public_client):
    leader = RegencyUserFactory(role=RegencyRole.LEADER)
    public_sign_in(public_client, leader, "/dashboard/")

    assert public_client.get("/dashboard/").status_code == 200
    console = public_client.get("/ops/")
    assert console.status_code in (302, 403)
    assert console.status_code == 403 or "/ops/masuk/" in console["Location"]


def test_it_refuses_an_enrolment_code_to_an_operator_who_does_not_manage_accounts(public_client):
    client, _user = _signed_in(public_client, RegencyRole.OPERATOR)
    RegencyUserFactory(username="pimpinan.lain", role=RegencyRole.LEADER)

    response = client.post("/ops/akun/kode-pendaftaran/", {"username": "pimpinan.lain"})

    assert response.status_code == 403


def test_it_gives_every_regency_capability_to_the_diskominfo_admin_and_only_the_dashboard_to_a_leader():
    assert all(RegencyRole.DISKOMINFO_ADMIN in roles for roles in REGENCY_PERMISSIONS.values())
    assert {c for c, roles in REGENCY_PERMISSIONS.items() if RegencyRole.LEADER in roles} == {
        RegencyCapability.VIEW_DASHBOARD
    }


def test_it_records_an_issued_enrolment_code_in_the_ops_audit_trail_with_the_address(public_client):
    client, admin = _signed_in(public_client, RegencyRole.DISKOMINFO_ADMIN)
    RegencyUserFactory(username="pimpinan.diaudit", role=RegencyRole.LEADER)

    client.post("/ops/akun/kode-pendaftaran/", {"username": "pimpinan.diaudit"}, REMOTE_ADDR="203.0.113.7")

    event = OpsEvent.objects.get(action="enrolment_code")
    assert (event.actor, event.target, event.kecamatan) == (admin.username, "user:pimpinan.diaudit", None)
    assert event.ip_address == "203.0.113.7"
