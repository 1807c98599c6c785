"""Demo staff for `make run` (development only): known logins, printed on start by `load_demo`.

An account without an authenticator gets a fresh one-time enrolment code on every run (printed
with its login), as an admin would issue one: the first sign-in asks for it before showing the
TOTP secret.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django_tenants.utils import schema_context, tenant_context

from sipentol.accounts.models import RegencyProfile, RegencyRole, Role, StaffProfile
from sipentol.accounts.services import enrolment_code_issue, two_factor_enrolled
from tenants.models import Kecamatan

DEMO_PASSWORD = "demo-sipentol-2026"
JETIS_STAFF = [
    ("camat", "Dr. H. Bambang Wahyudi, S.Sos., M.Si.", Role.CAMAT, "Camat Jetis", "197203151993031004"),
    ("sekcam", "Sri Wahyuningsih, S.AP.", Role.SEKCAM, "Sekretaris Kecamatan", "197806122005012009"),
    ("petugas", "Ahmad Fauzi", Role.VERIFIER, "Petugas Pelayanan PATEN", "198904102015031002"),
    ("admin", "Dewi Lestari, S.Kom.", Role.ADMIN, "Admin Kecamatan", "199102232019032011"),
    ("operator.jetis", "Slamet Riyadi", Role.DESA_OPERATOR, "Operator Desa Jetis", ""),
    # Signs Desa Jetis's surat pengantar; gets a development certificate on the first signing.
    ("kades.jetis", "Sugeng Hariyanto", Role.KEPALA_DESA, "Kepala Desa Jetis", ""),
]


def demo_staff_ensure(kecamatan: Kecamatan) -> list[dict]:
    """Create (or keep) the demo users; returns their logins. Idempotent."""
    User = get_user_model()
    logins = []
    with tenant_context(kecamatan):
        for username, full_name, role, position, nip in JETIS_STAFF:
            first, _, last = full_name.partition(" ")
            user, created = User.objects.get_or_create(
                username=username, defaults={"first_name": first, "last_name": last, "is_staff": role == Role.ADMIN}
            )
            if created:
                user.set_password(DEMO_PASSWORD)
                user.save()
            desa = "35.16.16.2013" if role in (Role.DESA_OPERATOR, Role.KEPALA_DESA) else ""
            StaffProfile.objects.get_or_create(
                user=user, defaults={"role": role, "position": position, "nip": nip, "desa_code": desa}
            )
            logins.append(
                {
                    "where": kecamatan.slug,
                    "username": username,
                    "password": DEMO_PASSWORD,
                    "role": role.label,
                    "enrolment_code": _enrolment_code(user),
                }
            )
    with schema_context("public"):
        user, created = User.objects.get_or_create(
            username="diskominfo", defaults={"first_name": "Admin", "last_name": "Diskominfo"}
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        RegencyProfile.objects.get_or_create(user=user, defaults={"role": RegencyRole.DISKOMINFO_ADMIN})
        logins.append(
            {
                "where": "ops",
                "username": "diskominfo",
                "password": DEMO_PASSWORD,
                "role": str(RegencyRole.DISKOMINFO_ADMIN.label),
                "enrolment_code": _enrolment_code(user),
            }
        )
    return logins


def _enrolment_code(user) -> str:
    return "" if two_factor_enrolled(user) else enrolment_code_issue(user=user)
