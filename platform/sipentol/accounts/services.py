"""Writes on accounts: the sign-in audit, enrolment codes, TOTP enrolment and backup codes (for
staff, Diskominfo and regency users alike, in whichever schema the account lives); the admin
kecamatan's staff management.

Every admin write is one transaction that leaves a `StaffEvent`. Temporary passwords and
enrolment codes are returned to the caller (to show once) and never stored in clear, logged or
written to an event; backup codes are django-otp static tokens, deleted when used.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re
import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from sipentol.lib import metering

from .invitations import invitation_second_factor_done
from .models import EnrolmentCode, RegencyProfile, RegencyRole, Role, SignInEvent, StaffEvent, StaffProfile
from .permissions import DESA_ROLES, REGENCY_PERMISSIONS, Capability, RegencyCapability, can, roles_with


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


def totp_device_confirm(*, device: TOTPDevice, token: str) -> list[str] | None:
    """Check the first code from a newly enrolled app; on success the device becomes the user's
    factor and the user gets fresh backup codes, returned (to show once). None: wrong code."""
    with transaction.atomic():
        if not device.verify_token(token):
            return None
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        TOTPDevice.objects.filter(user=device.user, confirmed=False).delete()
        EnrolmentCode.objects.filter(user=device.user, used_at__isnull=True).update(used_at=timezone.now())
        invitation_second_factor_done(user=device.user)
        return backup_codes_issue(user=device.user)


BACKUP_CODES = 10


def authenticator_code_ok(*, user, token: str) -> bool:
    """A fresh code from the user's authenticator app (TOTP), as signing a letter asks. A backup
    code does not count: it exists to sign in when the phone is lost, not to put the Camat's
    signature on letters. Each code is accepted once (django-otp remembers the last one used)."""
    token = (token or "").strip()
    return bool(token) and any(
        device.verify_token(token) for device in TOTPDevice.objects.filter(user=user, confirmed=True)
    )


def backup_codes_issue(*, user) -> list[str]:
    """Replace the user's backup codes (django-otp static tokens, each usable once) with new ones."""
    with transaction.atomic():
        device, _created = StaticDevice.objects.get_or_create(user=user, name="backup", defaults={"confirmed": True})
        device.token_set.all().delete()
        codes = [StaticToken.random_token() for _i in range(BACKUP_CODES)]
        StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


def two_factor_enrolled(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def _code_hash(code: str) -> str:
    # 16 random characters of a 55-letter alphabet (~92 bits): a plain SHA-256 cannot be reversed
    # by guessing, so the slow password hasher (a second per sign-in) buys nothing here.
    return hashlib.sha256(code.encode()).hexdigest()


def enrolment_code_issue(*, user) -> str:
    """A new one-time enrolment code for `user` (returned to show once; only its hash is kept);
    earlier unused codes stop working."""
    code = _temporary_password()
    with transaction.atomic():
        EnrolmentCode.objects.filter(user=user, used_at__isnull=True).delete()
        EnrolmentCode.objects.create(
            user=user,
            code_hash=_code_hash(code),
            expires_at=timezone.now() + dt.timedelta(hours=settings.ENROLMENT_CODE_HOURS),
        )
    return code


def two_factor_reset(*, user) -> str:
    """Lost phone: the user's authenticator and backup codes stop working; returns a new
    enrolment code (to show once) that their next sign-in asks for before enrolling again."""
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()
        return enrolment_code_issue(user=user)


def enrolment_code_check(*, user, code: str) -> bool:
    """Is `code` the user's current, unexpired, unused enrolment code? (It is spent when the
    authenticator it opened is confirmed.)"""
    code = code.strip()
    pending = EnrolmentCode.objects.filter(user=user, used_at__isnull=True, expires_at__gt=timezone.now()).first()
    return bool(code and pending and hmac.compare_digest(_code_hash(code), pending.code_hash))


def sign_in_event_record(*, site: str, action: str, username: str, user=None, ip_address=None, details=None):
    """One line of the sign-in audit, in the schema where the account lives."""
    return SignInEvent.objects.create(
        site=site,
        action=action,
        username=(username or "")[:150],
        user=user if user is not None and user.pk else None,
        ip_address=ip_address,
        details=details or {},
    )


# ------------------------------------------------------------------ staff management (admin kecamatan)
# No 0/O, 1/l/I: the temporary password is read off a screen and typed by someone else.
_TEMP_ALPHABET = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
NIP_RE = re.compile(r"^\d{18}$")


def _temporary_password() -> str:
    groups = ["".join(secrets.choice(_TEMP_ALPHABET) for _i in range(4)) for _j in range(4)]
    return "-".join(groups)


def _clean_nip(nip: str) -> str:
    nip = re.sub(r"\s+", "", nip or "")
    if nip and not NIP_RE.match(nip):
        raise ValidationError(
            {"nip": _("NIP harus 18 angka tanpa spasi atau tanda baca (contoh 198501012010011001). Periksa lagi.")}
        )
    return nip


def _clean_desa(*, role: str, desa_code: str, kecamatan) -> str:
    from tenants.models import Desa

    if role not in DESA_ROLES:
        return ""
    if not desa_code:
        if role == Role.KEPALA_DESA:
            raise ValidationError({"desa_code": _("Kepala Desa wajib punya desa. Pilih desa yang ia pimpin.")})
        raise ValidationError({"desa_code": _("Operator desa wajib punya desa. Pilih desa tempat ia bertugas.")})
    if not Desa.objects.filter(kecamatan=kecamatan, code=desa_code).exists():
        raise ValidationError({"desa_code": _("Desa itu bukan bagian kecamatan ini. Pilih dari daftar.")})
    return desa_code


def _other_active_admins(*, user) -> int:
    """Other active staff who can manage staff: the kecamatan must never lose the last of them."""
    return (
        StaffProfile.objects.select_for_update()
        .filter(role__in=roles_with(Capability.MANAGE_STAFF), user__is_active=True)
        .exclude(user=user)
        .count()
    )


def active_staff_count() -> int:
    """Staff accounts of this kecamatan that can sign in: the seats of its plan in use."""
    return get_user_model().objects.filter(is_active=True, staff__isnull=False).count()


def _seat_check() -> None:
    """Refuse one more active staff account beyond the plan's seats (billing answers the limit
    through lib/metering.py; without a limit there is none). Call inside the write's transaction."""
    limit = metering.limit(metering.Quota.STAFF_SEATS)
    if limit is None:
        return
    # Lock the active accounts so that two admins adding the last seat at once cannot both succeed.
    list(get_user_model().objects.select_for_update().filter(is_active=True, staff__isnull=False).values("pk"))
    if active_staff_count() >= limit:
        raise ValidationError(
            _(
                "Semua %(limit)s akun petugas aktif dalam paket kecamatan ini sudah terpakai. "
                "Nonaktifkan akun petugas yang tidak bertugas lagi, atau minta Diskominfo menambah jumlah akun."
            )
            % {"limit": limit}
        )


def staff_create(
    *,
    actor,
    kecamatan,
    username: str,
    full_name: str,
    role: str,
    position: str = "",
    nip: str = "",
    desa_code: str = "",
    email: str = "",
):
    """Make a staff account with a temporary password and an enrolment code; returns
    (user, temporary_password, enrolment_code).

    Both are to be shown once to the admin; the user must change the password at first login and
    give the enrolment code before their authenticator can be enrolled.
    """
    User = get_user_model()
    username = username.strip()
    if role not in Role.values:
        raise ValidationError({"role": _("Pilih peran dari daftar.")})
    nip = _clean_nip(nip)
    desa_code = _clean_desa(role=role, desa_code=desa_code, kecamatan=kecamatan)
    password = _temporary_password()
    with transaction.atomic():
        if User.objects.filter(username__iexact=username).exists():
            raise ValidationError({"username": _("Nama pengguna ini sudah dipakai. Pilih nama pengguna lain.")})
        _seat_check()
        first, _sep, last = full_name.strip().partition(" ")
        user = User.objects.create_user(username, email=email.strip(), password=password, first_name=first)
        user.last_name = last[:150]
        user.save(update_fields=["last_name"])
        StaffProfile.objects.create(
            user=user, role=role, position=position.strip(), nip=nip, desa_code=desa_code, must_change_password=True
        )
        StaffEvent.objects.create(
            actor=actor,
            staff=user,
            action=StaffEvent.Action.CREATED,
            details={"role": role, "position": position.strip(), "nip": nip, "desa_code": desa_code},
        )
        code = enrolment_code_issue(user=user)
    return user, password, code


def staff_update(*, actor, kecamatan, user, role: str, position: str = "", nip: str = "", desa_code: str = ""):
    """Change a staff member's role, jabatan, NIP and desa; the last active admin keeps the admin role."""
    if role not in Role.values:
        raise ValidationError({"role": _("Pilih peran dari daftar.")})
    nip = _clean_nip(nip)
    desa_code = _clean_desa(role=role, desa_code=desa_code, kecamatan=kecamatan)
    with transaction.atomic():
        profile = StaffProfile.objects.select_for_update().get(user=user)
        managers = roles_with(Capability.MANAGE_STAFF)
        demoted = profile.role in managers and role not in managers
        if demoted and user.is_active and not _other_active_admins(user=user):
            raise ValidationError(
                {"role": _("Ini admin kecamatan terakhir. Jadikan petugas lain admin dulu, lalu ubah peran ini.")}
            )
        new = {"role": role, "position": position.strip(), "nip": nip, "desa_code": desa_code}
        changes = {k: [getattr(profile, k), v] for k, v in new.items() if getattr(profile, k) != v}
        if not changes:
            return profile
        for key, value in new.items():
            setattr(profile, key, value)
        profile.save(update_fields=list(new))
        StaffEvent.objects.create(actor=actor, staff=user, action=StaffEvent.Action.UPDATED, details=changes)
    return profile


def staff_set_active(*, actor, user, active: bool):
    """Deactivate (cannot log in; open sessions end) or reactivate an account."""
    with transaction.atomic():
        user = get_user_model().objects.select_for_update().get(pk=user.pk)
        if user.is_active == active:
            return user
        if not active:
            if user.pk == actor.pk:
                raise ValidationError(_("Anda tidak dapat menonaktifkan akun Anda sendiri. Minta admin lain."))
            if can(user, Capability.MANAGE_STAFF) and not _other_active_admins(user=user):
                raise ValidationError(
                    _("Ini admin kecamatan terakhir. Jadikan petugas lain admin dulu, lalu nonaktifkan akun ini.")
                )
        if active and hasattr(user, "staff"):
            _seat_check()
        user.is_active = active
        user.save(update_fields=["is_active"])
        action = StaffEvent.Action.REACTIVATED if active else StaffEvent.Action.DEACTIVATED
        StaffEvent.objects.create(actor=actor, staff=user, action=action)
    return user


def staff_reset_two_factor(*, actor, user) -> str:
    """Lost phone: remove the user's TOTP device and backup codes; returns a new enrolment code
    (to show once), which their next sign-in asks for before enrolling a new authenticator."""
    with transaction.atomic():
        devices = TOTPDevice.objects.filter(user=user).count()
        StaffEvent.objects.create(
            actor=actor, staff=user, action=StaffEvent.Action.TWO_FACTOR_RESET, details={"devices": devices}
        )
        return two_factor_reset(user=user)


def staff_reset_password(*, actor, user) -> str:
    """A new temporary password (returned to show once); open sessions of the user end."""
    password = _temporary_password()
    with transaction.atomic():
        user.set_password(password)
        user.save(update_fields=["password"])
        StaffProfile.objects.filter(user=user).update(must_change_password=True)
        StaffEvent.objects.create(actor=actor, staff=user, action=StaffEvent.Action.PASSWORD_RESET)
    return password


def staff_password_change(*, user, password: str) -> None:
    """The user replaces a temporary password (validated by the caller with Django's validators)."""
    with transaction.atomic():
        user.set_password(password)
        user.save(update_fields=["password"])
        StaffProfile.objects.filter(user=user).update(must_change_password=False)
        StaffEvent.objects.create(actor=user, staff=user, action=StaffEvent.Action.PASSWORD_CHANGED)


def staff_event_record(*, actor, staff, action: str, details: dict | None = None) -> StaffEvent:
    """One line of a staff account's history, written by another app's step on that account
    (e.g. letters' certificate upload), in the caller's transaction. Never holds a secret."""
    return StaffEvent.objects.create(actor=actor, staff=staff, action=action, details=details or {})


# ------------------------------------------------------------------ Diskominfo and regency accounts (public schema)


def _other_regency_managers(*, user) -> int:
    """Other active accounts that manage regency accounts: the last of them is never lost."""
    return (
        RegencyProfile.objects.select_for_update()
        .filter(role__in=REGENCY_PERMISSIONS[RegencyCapability.MANAGE_REGENCY_USERS], user__is_active=True)
        .exclude(user=user)
        .count()
    )


def regency_account_set_role(*, actor, user, role: str) -> RegencyProfile:
    """Change a Diskominfo or regency account's role (one of RegencyRole); one's own role stays,
    and the last account that manages accounts keeps that power."""
    if role not in RegencyRole.values:
        raise ValidationError({"role": _("Pilih peran dari daftar.")})
    if user.pk == actor.pk:
        raise ValidationError(_("Anda tidak dapat mengubah peran akun Anda sendiri. Minta admin lain."))
    with transaction.atomic():
        profile = RegencyProfile.objects.select_for_update().get(user=user)
        managers = REGENCY_PERMISSIONS[RegencyCapability.MANAGE_REGENCY_USERS]
        if profile.role in managers and role not in managers and not _other_regency_managers(user=user):
            raise ValidationError(_("Ini Admin Diskominfo terakhir. Jadikan akun lain admin dulu."))
        profile.role = role
        profile.save(update_fields=["role"])
    return profile


def regency_account_set_active(*, actor, user, active: bool):
    """Deactivate (cannot sign in; open sessions end) or reactivate a Diskominfo or regency account."""
    with transaction.atomic():
        user = get_user_model().objects.select_for_update().get(pk=user.pk)
        if user.is_active == active:
            return user
        if not active and user.pk == actor.pk:
            raise ValidationError(_("Anda tidak dapat menonaktifkan akun Anda sendiri. Minta admin lain."))
        if (
            not active
            and getattr(getattr(user, "regency", None), "role", None)
            in REGENCY_PERMISSIONS[RegencyCapability.MANAGE_REGENCY_USERS]
            and not _other_regency_managers(user=user)
        ):
            raise ValidationError(_("Ini Admin Diskominfo terakhir. Jadikan akun lain admin dulu."))
        user.is_active = active
        user.save(update_fields=["is_active"])
    return user
