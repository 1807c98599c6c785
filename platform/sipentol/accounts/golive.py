"""accounts' items of the go-live checklist (tenants.golive): the officials and the office's staff."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tenants.golive import Check

from .models import Role, StaffProfile

MIN_STAFF_BESIDES_ADMIN = 2


def officials_evaluate(kecamatan) -> tuple[bool, str]:
    """A Camat and a Sekcam, each an active account with a NIP (the letters' signature block reads it)."""
    missing = []
    for role in (Role.CAMAT, Role.SEKCAM):
        profiles = StaffProfile.objects.filter(role=role, user__is_active=True)
        if not profiles.exists():
            missing.append(_("akun %(role)s belum ada") % {"role": Role(role).label})
        elif not profiles.exclude(nip="").exists():
            missing.append(_("NIP %(role)s belum diisi") % {"role": Role(role).label})
    if missing:
        return False, "; ".join(missing).capitalize() + "."
    return True, _("Camat dan Sekretaris Camat terdaftar dengan NIP.")


def staff_evaluate(kecamatan) -> tuple[bool, str]:
    count = StaffProfile.objects.filter(user__is_active=True).exclude(role=Role.ADMIN).count()
    detail = _("%(count)d petugas selain admin (minimal %(min)d).") % {"count": count, "min": MIN_STAFF_BESIDES_ADMIN}
    return count >= MIN_STAFF_BESIDES_ADMIN, detail


CHECKS = [
    Check(
        name="officials",
        label=gettext_lazy("Camat dan Sekcam dengan NIP"),
        evaluate=officials_evaluate,
        fix_url_name="staff:staff-admin-list",
        order=20,
    ),
    Check(
        name="staff",
        label=gettext_lazy("Minimal dua petugas selain admin"),
        evaluate=staff_evaluate,
        fix_url_name="staff:staff-admin-create",
        order=50,
    ),
]
