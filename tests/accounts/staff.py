"""Helpers: make a kecamatan staff member and sign them in through HTTP (password, then TOTP)."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.test import Client
from django_tenants.utils import tenant_context

from sipentol.accounts.models import Role, StaffProfile
from sipentol.accounts.services import enrolment_code_issue

PASSWORD = "kata-sandi-uji-2026"


def make_staff(kecamatan, username: str, role: str = Role.VERIFIER, desa_code: str = ""):
    with tenant_context(kecamatan):
        user = get_user_model().objects.create_user(username, password=PASSWORD, first_name=username.title())
        StaffProfile.objects.create(user=user, role=role, desa_code=desa_code)
    return user


def issue_enrolment_code(kecamatan, username: str) -> str:
    """What an admin does for a new account or after resetting its 2FA (accounts.services)."""
    with tenant_context(kecamatan):
        return enrolment_code_issue(user=get_user_model().objects.get(username=username))


def current_token(kecamatan, username: str) -> str:
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    with tenant_context(kecamatan):
        device = TOTPDevice.objects.get(user__username=username)
        return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):0{device.digits}d}"


def staff_client(kecamatan, username: str, role: str = Role.VERIFIER, desa_code: str = "") -> Client:
    """A browser of a staff member who passed password and TOTP on their kecamatan's host."""
    make_staff(kecamatan, username, role, desa_code)
    return sign_in(kecamatan, username)


def sign_in(kecamatan, username: str) -> Client:
    """Password, then TOTP, on the kecamatan's host, for a new staff member (gives an admin-issued
    enrolment code, enrols an authenticator, sees the backup codes) or one already enrolled
    (`tests.factories.StaffFactory`)."""
    client = Client(HTTP_HOST=f"{kecamatan.slug}.localhost")
    assert client.post("/kantor/masuk/", {"username": username, "password": PASSWORD}).status_code == 302
    page = client.get("/kantor/masuk/otp/")
    assert page.status_code == 200
    enrolling = b'name="enrolment_code"' in page.content
    if enrolling:
        code = issue_enrolment_code(kecamatan, username)
        assert client.post("/kantor/masuk/otp/", {"enrolment_code": code}).status_code == 302
        assert client.get("/kantor/masuk/otp/").status_code == 200  # shows the secret, creates the device
    response = client.post("/kantor/masuk/otp/", {"token": current_token(kecamatan, username), "next": "/kantor/"})
    if enrolling:  # the backup codes, shown once, then on to the page asked for
        assert response.status_code == 302 and response["Location"].startswith("/kantor/masuk/otp/"), response
        assert b'id="backup-codes"' in client.get(response["Location"]).content
    else:
        assert response.status_code == 302 and response["Location"] == "/kantor/", response.content[:500]
    return client


def public_sign_in(client: Client, user, prefix: str = "/dashboard/") -> Client:
    """A Diskominfo or regency user (public schema, password `PASSWORD`) signs in at `prefix`
    (/ops/ or /dashboard/) with password and TOTP; their authenticator is already enrolled
    (a confirmed device, made directly: the enrolment is not what these tests exercise)."""
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    device = device or TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)
    login = client.post(f"{prefix}masuk/", {"username": user.get_username(), "password": PASSWORD})
    assert login.status_code == 302 and login["Location"].startswith(f"{prefix}masuk/otp/"), login
    token = f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):0{device.digits}d}"
    verified = client.post(f"{prefix}masuk/otp/", {"token": token})
    assert verified.status_code == 302, verified.content[:500]
    return client
