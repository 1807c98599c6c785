"""Accepting an invitation link over HTTP: expired and used links refused, attempts limited and
audited, and an invited regency leader or Diskominfo operator arrives on their own site."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_tenants.utils import tenant_context

from sipentol.accounts.invitations import invitation_create
from sipentol.accounts.models import Invitation, RegencyRole, Role, SignInEvent
from tenants.models import OpsEvent
from tests.accounts.staff import public_sign_in
from tests.factories import RegencyUserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "Kata-Sandi-Undangan-2026!"


def _token_of_totp(user) -> str:
    device = TOTPDevice.objects.get(user=user)
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):0{device.digits}d}"


def _accept(client: Client, path: str, username: str, prefix: str) -> None:
    """Password, then the authenticator and the backup codes, as the invitee's browser does."""
    made = client.post(path, {"username": username, "password1": PASSWORD, "password2": PASSWORD})
    assert made.status_code == 302 and made["Location"] == f"{prefix}masuk/otp/?next={prefix.replace('/', '%2F')}"
    assert 'name="token"' in client.get(made["Location"]).content.decode()
    user = get_user_model().objects.get(username=username)
    enrolled = client.post(f"{prefix}masuk/otp/", {"token": _token_of_totp(user), "next": prefix})
    assert 'id="backup-codes"' in client.get(enrolled["Location"]).content.decode()


def test_it_refuses_an_expired_link_and_records_the_refusal(jetis, jetis_client):
    with tenant_context(jetis):
        invitation, token = invitation_create(
            full_name="Rina", role=Role.ADMIN, invited_by="operator", email="rina@example.go.id"
        )
        Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - dt.timedelta(minutes=1))

    page = jetis_client.get(f"/kantor/undangan/{token}/")
    posted = jetis_client.post(
        f"/kantor/undangan/{token}/", {"username": "rina", "password1": PASSWORD, "password2": PASSWORD}
    )

    assert page.status_code == 410 and "sudah kedaluwarsa" in page.content.decode()
    assert "Minta undangan baru kepada Diskominfo" in page.content.decode()
    assert posted.status_code == 410
    with tenant_context(jetis):
        assert not get_user_model().objects.filter(username="rina").exists()
        assert SignInEvent.objects.filter(action=SignInEvent.Action.INVITATION_REFUSED).count() == 2


def test_it_lets_an_admin_who_left_after_the_password_enrol_by_the_same_link_then_refuses_it(jetis):
    # given: an invited admin set a password and closed the browser before enrolling TOTP
    with tenant_context(jetis):
        _invitation, token = invitation_create(full_name="Ayu", role=Role.ADMIN, invited_by="op", email="a@example.id")
    path = f"/kantor/undangan/{token}/"
    first = Client(HTTP_HOST="jetis.localhost")
    made = first.post(path, {"username": "ayu", "password1": PASSWORD, "password2": PASSWORD})
    assert made.status_code == 302

    # when: they follow the link again in a new browser
    back = Client(HTTP_HOST="jetis.localhost")
    page = back.get(path)
    wrong = back.post(path, {"password": "bukan-kata-sandinya-2026"})
    resumed = back.post(path, {"password": PASSWORD})
    secret_page = back.get(resumed["Location"]).content.decode()
    with tenant_context(jetis):
        enrolled = back.post(
            "/kantor/masuk/otp/",
            {"token": _token_of_totp(get_user_model().objects.get(username="ayu")), "next": "/kantor/"},
        )
    codes = back.get(enrolled["Location"]).content.decode()

    # then: the link asks only for their password, opens the authenticator step, and they land on /kantor/
    assert page.status_code == 200 and 'id="invitation-second-factor"' in page.content.decode()
    assert 'name="password1"' not in page.content.decode()
    assert wrong.status_code == 400 and 'name="enrolment_code"' not in back.get("/kantor/masuk/otp/").content.decode()
    assert resumed.status_code == 302 and resumed["Location"].startswith("/kantor/masuk/otp/")
    assert 'name="token"' in secret_page and 'name="enrolment_code"' not in secret_page
    assert 'id="backup-codes"' in codes
    assert back.get("/kantor/").status_code == 200
    # and once the authenticator is confirmed the link is spent
    again = Client(HTTP_HOST="jetis.localhost").get(path)
    assert again.status_code == 410 and "sudah dipakai" in again.content.decode()
    with tenant_context(jetis):
        assert get_user_model().objects.filter(username="ayu").count() == 1


def test_it_refuses_a_password_that_django_validators_reject_and_makes_no_account(jetis, jetis_client):
    with tenant_context(jetis):
        _invitation, token = invitation_create(full_name="Dewi", role=Role.ADMIN, invited_by="op", email="d@example.id")

    response = jetis_client.post(
        f"/kantor/undangan/{token}/", {"username": "dewi", "password1": "12345678", "password2": "12345678"}
    )

    assert response.status_code == 400
    with tenant_context(jetis):
        assert not get_user_model().objects.filter(username="dewi").exists()


def test_it_locks_the_address_after_repeated_unknown_links(jetis_client, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        assert jetis_client.get("/kantor/undangan/tebakan-acak/").status_code == 404

    assert jetis_client.get("/kantor/undangan/tebakan-lagi/").status_code == 429


def test_it_brings_an_invited_leader_to_the_dashboard(public_client):
    # given: the Diskominfo admin invites a leader on /ops/akun/
    admin = RegencyUserFactory(role=RegencyRole.DISKOMINFO_ADMIN)
    public_sign_in(public_client, admin, "/ops/")
    shown = public_client.post(
        "/ops/akun/undang/", {"full_name": "H. Ahmad Wakil", "role": RegencyRole.LEADER, "email": "wakil@example.go.id"}
    )
    assert shown.status_code == 200
    path = re.search(r"/dashboard/undangan/[A-Za-z0-9_-]+/", shown.content.decode()).group(0)

    # when: the leader follows the link
    leader = Client(HTTP_HOST="localhost")
    assert "H. Ahmad Wakil" in leader.get(path).content.decode()
    _accept(leader, path, "wakil.bupati", "/dashboard/")

    # then: on the dashboard with the leader role, the link spent, the invitation audited
    assert leader.get("/dashboard/").status_code == 200
    assert get_user_model().objects.get(username="wakil.bupati").regency.role == RegencyRole.LEADER
    assert Client(HTTP_HOST="localhost").get(path).status_code == 410
    assert OpsEvent.objects.filter(action="account_invite", actor=admin.username).exists()
    assert SignInEvent.objects.filter(action=SignInEvent.Action.INVITATION_ACCEPTED, username="wakil.bupati").exists()


def test_it_brings_an_invited_operator_to_the_console(public_client):
    admin = RegencyUserFactory(role=RegencyRole.DISKOMINFO_ADMIN)
    public_sign_in(public_client, admin, "/ops/")
    shown = public_client.post(
        "/ops/akun/undang/", {"full_name": "Nur Operator", "role": RegencyRole.OPERATOR, "phone": "081311112222"}
    )
    path = re.search(r"/ops/undangan/[A-Za-z0-9_-]+/", shown.content.decode()).group(0)

    operator = Client(HTTP_HOST="localhost")
    _accept(operator, path, "nur.operator", "/ops/")

    assert operator.get("/ops/").status_code == 200


def test_it_changes_a_role_deactivates_and_reactivates_an_account_and_audits_each(public_client):
    admin = RegencyUserFactory(role=RegencyRole.DISKOMINFO_ADMIN)
    public_sign_in(public_client, admin, "/ops/")
    member = RegencyUserFactory(role=RegencyRole.HELPDESK)
    assert member.username in public_client.get("/ops/akun/").content.decode()

    public_client.post(f"/ops/akun/{member.pk}/peran/", {"role": RegencyRole.OPERATOR})
    public_client.post(f"/ops/akun/{member.pk}/aktif/", {"active": "0"})

    member.refresh_from_db()
    assert (member.regency.role, member.is_active) == (RegencyRole.OPERATOR, False)
    public_client.post(f"/ops/akun/{member.pk}/aktif/", {"active": "1"})
    member.refresh_from_db()
    assert member.is_active
    actions = set(OpsEvent.objects.filter(target=f"user:{member.username}").values_list("action", flat=True))
    assert actions == {"account_role", "account_deactivate", "account_activate"}


def test_it_refuses_a_change_to_ones_own_role_or_activity(public_client):
    admin = RegencyUserFactory(role=RegencyRole.DISKOMINFO_ADMIN)
    public_sign_in(public_client, admin, "/ops/")

    public_client.post(f"/ops/akun/{admin.pk}/peran/", {"role": RegencyRole.LEADER})
    public_client.post(f"/ops/akun/{admin.pk}/aktif/", {"active": "0"})

    admin.refresh_from_db()
    assert (admin.regency.role, admin.is_active) == (RegencyRole.DISKOMINFO_ADMIN, True)
    assert not OpsEvent.objects.filter(target=f"user:{admin.username}").exists()
