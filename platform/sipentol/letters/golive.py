"""letters' items of the go-live checklist (tenants.golive): the letterhead and the Camat's certificate."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sipentol.accounts.permissions import Capability, roles_with
from tenants.golive import Check

from .models import LetterSettings, SignerCredential


def letterhead_evaluate(kecamatan) -> tuple[bool, str]:
    row = LetterSettings.objects.first()
    missing = []
    if row is None or not row.logo_key:
        missing.append(_("logo kop surat belum diunggah"))
    if not kecamatan.address.strip():
        missing.append(_("alamat kantor (baris alamat kop surat) belum diisi"))
    if missing:
        return False, "; ".join(missing).capitalize() + "."
    return True, _("Logo kecamatan diunggah; kop surat memakai alamat kantor.")


def camat_certificate_evaluate(kecamatan) -> tuple[bool, str]:
    now = timezone.now()
    camat = get_user_model().objects.filter(is_active=True, staff__role__in=roles_with(Capability.SIGN_AS_CAMAT))
    if not camat.exists():
        return False, _("Belum ada akun Camat.")
    valid = SignerCredential.objects.filter(user__in=camat, is_active=True).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gt=now)
    )
    if not valid.exists():
        return False, _("Camat belum memiliki sertifikat tanda tangan elektronik yang berlaku.")
    return True, _("Sertifikat tanda tangan Camat terdaftar.")


CHECKS = [
    Check(
        name="letterhead",
        label=gettext_lazy("Kop surat dan logo kecamatan"),
        evaluate=letterhead_evaluate,
        fix_url_name="staff:letterhead",
        order=40,
    ),
    Check(
        name="camat_certificate",
        label=gettext_lazy("Sertifikat tanda tangan Camat"),
        evaluate=camat_certificate_evaluate,
        fix_url_name="staff:staff-admin-list",
        order=60,
    ),
]
