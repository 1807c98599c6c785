"""`staff_required`: every back-office page needs a kecamatan staff member with a verified second factor."""

from __future__ import annotations

from functools import wraps
from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect


def staff_role(user) -> str | None:
    profile = getattr(user, "staff", None) if user.is_authenticated else None
    return profile.role if profile else None


def must_change_password(user) -> bool:
    """Still on the temporary password an admin gave them."""
    profile = getattr(user, "staff", None) if user.is_authenticated else None
    return bool(profile and profile.must_change_password)


def is_verified_staff(user) -> bool:
    """Logged in on this kecamatan's host, has a staff profile here, and passed TOTP."""
    return staff_role(user) is not None and bool(getattr(user, "is_verified", lambda: False)())


def staff_required(view=None, *, roles: tuple[str, ...] | list[str] | None = None):
    """Password (not a temporary one) + TOTP required; with `roles`, only those roles (others get 403)."""

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
            if roles and staff_role(user) not in roles:
                raise PermissionDenied
            return func(request, *args, **kwargs)

        return wrapper

    return decorator(view) if view is not None else decorator
