"""Reads on staff accounts for the admin kecamatan's pages (all inside the current kecamatan's schema)."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef, QuerySet
from django.http import Http404
from django_otp.plugins.otp_totp.models import TOTPDevice

from .models import StaffEvent
from .permissions import Capability, roles_with


def staff_list() -> QuerySet:
    """Users of this kecamatan who have a staff profile, with `has_totp` (a confirmed authenticator)."""
    confirmed = TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)
    return (
        get_user_model()
        .objects.filter(staff__isnull=False)
        .select_related("staff")
        .annotate(has_totp=Exists(confirmed))
        .order_by("-is_active", "staff__role", "username")
    )


def staff_get_for_admin(*, pk: int):
    """One staff account of this kecamatan (users live in the kecamatan's schema), or 404."""
    user = staff_list().filter(pk=pk).first()
    if user is None:
        raise Http404
    return user


def staff_events(*, user, limit: int = 20) -> list[StaffEvent]:
    return list(StaffEvent.objects.filter(staff=user).select_related("actor")[:limit])


def desa_choices(*, kecamatan) -> list[tuple[str, str]]:
    from tenants.models import Desa

    return [(d.code, str(d)) for d in Desa.objects.filter(kecamatan=kecamatan).order_by("name")]


def desa_names(*, kecamatan) -> dict[str, str]:
    return dict(desa_choices(kecamatan=kecamatan))


def admin_emails() -> list[str]:
    """E-mail addresses of this kecamatan's active staff who manage staff (its admins)."""
    return sorted(
        set(
            get_user_model()
            .objects.filter(is_active=True, staff__role__in=roles_with(Capability.MANAGE_STAFF))
            .exclude(email="")
            .values_list("email", flat=True)
        )
    )
