"""Writes on staff accounts: TOTP enrollment and confirmation."""

from __future__ import annotations

from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice


def totp_device_for(*, user) -> tuple[TOTPDevice, bool]:
    """The user's confirmed TOTP device, or their pending one (created if missing).

    Returns (device, confirmed). Idempotent: reloading the enrollment page keeps the same secret.
    """
    with transaction.atomic():
        confirmed = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        if confirmed is not None:
            return confirmed, True
        pending = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
        if pending is None:
            pending = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)
        return pending, False


def totp_device_confirm(*, device: TOTPDevice, token: str) -> bool:
    """Check the first code from a newly enrolled app; on success the device becomes the user's factor."""
    with transaction.atomic():
        if not device.verify_token(token):
            return False
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        TOTPDevice.objects.filter(user=device.user, confirmed=False).delete()
    return True
