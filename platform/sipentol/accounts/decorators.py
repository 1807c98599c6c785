"""`staff_required`: every back-office page needs a kecamatan staff member with a verified second
factor, and names the capability (`permissions.Capability`) it needs."""

from __future__ import annotations

from functools import wraps
from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect

from .permissions import Capability, can, staff_role

__all__ = ["is_verified_staff", "must_change_password", "staff_required", "staff_role"]

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


def must_change_password(user) -> bool:
    """Still on the temporary password an admin gave them."""
    profile = getattr(user, "staff", None) if user.is_authenticated else None
    return bool(profile and profile.must_change_password)


def is_verified_staff(user) -> bool:
    """Logged in on this kecamatan's host, has a staff profile here, and passed TOTP."""
    return staff_role(user) is not None and bool(getattr(user, "is_verified", lambda: False)())


def staff_required(*, capability: Capability, write: Capability | None = None):
    """Password (not a temporary one) + TOTP, then `capability` (else 403); a POST (or any unsafe
    method) also needs `write` when given: a page some roles may read and fewer may change.

    The wrapper carries `capability` and `write_capability`, so that the back-office tests can
    check every URL against the permission table.
    """

    def decorator(func):
        @wraps(func)
        def wrapper(request, *args, **kwargs):
            user = request.user
            if staff_role(user) is None:
                return redirect(f"/kantor/masuk/?{urlencode({'next': request.get_full_path()})}")
            if must_change_password(user):
                return redirect(f"/kantor/ganti-kata-sandi/?{urlencode({'next': request.get_full_path()})}")
            if not user.is_verified():
                return redirect(f"/kantor/masuk/otp/?{urlencode({'next': request.get_full_path()})}")
            if not can(user, capability):
                raise PermissionDenied
            if write is not None and request.method not in SAFE_METHODS and not can(user, write):
                raise PermissionDenied
            return func(request, *args, **kwargs)

        wrapper.capability = capability
        wrapper.write_capability = write or capability
        return wrapper

    return decorator
