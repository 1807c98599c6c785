"""Helpers: make a kecamatan staff member and sign them in through HTTP (password, then TOTP)."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.test import Client
from django_tenants.utils import tenant_context

from sipentol.accounts.models import Role, StaffProfile

PASSWORD = "kata-sandi-uji-2026"


def make_staff(kecamatan, username: str, role: str = Role.VERIFIER, desa_code: str = ""):
    with tenant_context(kecamatan):
        user = get_user_model().objects.create_user(username, password=PASSWORD, first_name=username.title())
        StaffProfile.objects.create(user=user, role=role, desa_code=desa_code)
    return user


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
    """Password, then TOTP, on the kecamatan's host, for a new staff member (enrolls an authenticator)
    or one already enrolled (`tests.factories.StaffFactory`)."""
    client = Client(HTTP_HOST=f"{kecamatan.slug}.localhost")
    assert client.post("/kantor/masuk/", {"username": username, "password": PASSWORD}).status_code == 302
    assert client.get("/kantor/masuk/otp/").status_code == 200  # enrollment creates the device if none
    response = client.post("/kantor/masuk/otp/", {"token": current_token(kecamatan, username), "next": "/kantor/"})
    assert response.status_code == 302 and response["Location"] == "/kantor/", response.content[:500]
    return client
