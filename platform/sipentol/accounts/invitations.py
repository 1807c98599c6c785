"""Invitations: a one-time link by which a person makes their own account (password, then an
authenticator) instead of receiving a password from someone else.

The rules live here: the token (32 random bytes, URL-safe) is returned to the caller once and
only its SHA-256 is stored; it is valid `INVITATION_HOURS` (72), used once, and stops working
when revoked or renewed. "Once" spans two steps: setting the password makes the account
(`used_at`), and until that account confirms its authenticator (`second_factor_at`, set by
`invitation_second_factor_done` from `services.totp_device_confirm`) the link, still within its
validity, opens the second-factor step again for that same account (state SECOND_FACTOR): a
first admin who leaves after the password has nobody to issue them an enrolment code.

An invitation lives in the schema where its account will live: a kecamatan's (its staff, `Role`)
or the public one (Diskominfo and regency accounts, `RegencyRole`); the role is checked against
that schema. Sending the link is the caller's (the ops console queues it through the kecamatan's
outbox); accepting it is `signin.invitation_accept`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tenants.utils import get_public_schema_name

from sipentol.lib.phone import normalize_phone
from tenants.selectors import kecamatan_url, regency_url

from .models import Invitation, RegencyProfile, RegencyRole, Role, StaffEvent, StaffProfile
from .permissions import REGENCY_PERMISSIONS, RegencyCapability

VALID, UNKNOWN, EXPIRED, USED, REVOKED = "valid", "unknown", "expired", "used", "revoked"
# The password is set and the account made; the authenticator is not confirmed yet.
SECOND_FACTOR = "second_factor"


def _in_public_schema() -> bool:
    return connection.schema_name == get_public_schema_name()


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _new_token() -> tuple[str, str]:
    token = secrets.token_urlsafe(32)
    return token, _hash(token)


def _expiry() -> dt.datetime:
    return timezone.now() + dt.timedelta(hours=settings.INVITATION_HOURS)


def invitation_roles() -> type[Role] | type[RegencyRole]:
    """The roles an invitation may carry in the current schema."""
    return RegencyRole if _in_public_schema() else Role


def invitation_contact_clean(*, email: str, phone: str) -> tuple[str, str, dict[str, str]]:
    """Where an invitation link is sent: an e-mail address and/or a WhatsApp number, at least one,
    each valid. Returns (email, normalised phone, errors by "email" / "phone")."""
    email, phone = email.strip(), phone.strip()
    errors: dict[str, str] = {}
    if not email and not phone:
        errors["email"] = _("Isi e-mail atau nomor WhatsApp: ke sanalah tautan undangan dikirim.")
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors["email"] = _("Alamat e-mail tidak valid. Periksa lagi.")
    if phone:
        try:
            phone = normalize_phone(phone)
        except ValidationError as exc:
            errors["phone"] = exc.messages[0]
    return email, phone, errors


def invitation_create(
    *,
    full_name: str,
    role: str,
    invited_by: str,
    email: str = "",
    phone: str = "",
    username: str = "",
    position: str = "",
) -> tuple[Invitation, str]:
    """A new invitation in the current schema; returns (invitation, token), the token to put in
    the link now (only its hash is kept). Needs an e-mail address or a WhatsApp number."""
    errors: dict[str, str] = {}
    full_name, email, phone, username = full_name.strip(), email.strip(), phone.strip(), username.strip()
    if not full_name:
        errors["full_name"] = _("Tulis nama lengkap orang yang diundang.")
    if role not in invitation_roles().values:
        errors["role"] = _("Pilih peran dari daftar.")
    email, phone, contact_errors = invitation_contact_clean(email=email, phone=phone)
    errors.update(contact_errors)
    if username and get_user_model().objects.filter(username__iexact=username).exists():
        errors["username"] = _("Nama pengguna ini sudah dipakai. Pilih nama pengguna lain.")
    if errors:
        raise ValidationError(errors)
    token, token_hash = _new_token()
    invitation = Invitation.objects.create(
        full_name=full_name,
        email=email,
        phone=phone,
        username=username,
        role=role,
        position=position.strip(),
        token_hash=token_hash,
        invited_by=invited_by,
        expires_at=_expiry(),
        sent_at=timezone.now(),
    )
    return invitation, token


def invitation_renew(*, invitation: Invitation) -> str:
    """Resend: a new token and a new validity; the previous link stops working. Returns the token."""
    with transaction.atomic():
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if invitation.used_at is not None:
            raise ValidationError(_("Undangan ini sudah dipakai: akunnya sudah ada."))
        token, invitation.token_hash = _new_token()
        invitation.expires_at = _expiry()
        invitation.sent_at = timezone.now()
        invitation.revoked_at = None
        invitation.save(update_fields=["token_hash", "expires_at", "sent_at", "revoked_at"])
    return token


def invitation_revoke(*, invitation: Invitation) -> Invitation:
    """The link stops working at once (idempotent; a used invitation stays used)."""
    Invitation.objects.filter(pk=invitation.pk, used_at__isnull=True, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    invitation.refresh_from_db()
    return invitation


def invitation_state(invitation: Invitation | None) -> str:
    if invitation is None:
        return UNKNOWN
    if invitation.used_at is not None:
        if invitation.second_factor_at is not None or invitation.user_id is None:
            return USED
        if invitation.revoked_at is None and invitation.expires_at > timezone.now():
            return SECOND_FACTOR
        # Past its validity the account stays; its authenticator then needs an enrolment code.
        return USED
    if invitation.revoked_at is not None:
        return REVOKED
    if invitation.expires_at <= timezone.now():
        return EXPIRED
    return VALID


def invitation_lookup(token: str) -> tuple[Invitation | None, str]:
    """The invitation a link's token opens, and its state (VALID, UNKNOWN, EXPIRED, USED, REVOKED)."""
    token_hash = _hash(token or "")
    invitation = Invitation.objects.filter(token_hash=token_hash).first()
    # The lookup is by a hash of 256 random bits; the comparison is constant-time all the same.
    if invitation is not None and not hmac.compare_digest(invitation.token_hash, token_hash):
        invitation = None
    return invitation, invitation_state(invitation)


def invitation_site_prefix(invitation: Invitation) -> str:
    """Where the invited person signs in and lands: /kantor/ (kecamatan staff), /ops/ (a
    Diskominfo role that reads the console) or /dashboard/ (regency leadership)."""
    if not _in_public_schema():
        return "/kantor/"
    if invitation.role in REGENCY_PERMISSIONS[RegencyCapability.VIEW_CONSOLE]:
        return "/ops/"
    return "/dashboard/"


def invitation_link(invitation: Invitation, token: str) -> str:
    """The absolute link to put in a message: the kecamatan's host, or BASE_DOMAIN."""
    path = f"{invitation_site_prefix(invitation)}undangan/{token}/"
    if _in_public_schema():
        return regency_url(path)
    return kecamatan_url(connection.tenant, path)


def invitation_accept(*, invitation: Invitation, username: str, password: str):
    """Make the invited person's account (password already checked by Django's validators) with
    the invitation's role; the invitation is spent in the same transaction. Returns the user."""
    User = get_user_model()
    username = username.strip()
    with transaction.atomic():
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if invitation_state(invitation) != VALID:
            raise ValidationError(_("Undangan ini sudah tidak berlaku."))
        if User.objects.filter(username__iexact=username).exists():
            raise ValidationError({"username": _("Nama pengguna ini sudah dipakai. Pilih nama pengguna lain.")})
        first, _sep, last = invitation.full_name.partition(" ")
        user = User.objects.create_user(
            username, email=invitation.email, password=password, first_name=first[:150], last_name=last[:150]
        )
        if _in_public_schema():
            RegencyProfile.objects.create(user=user, role=invitation.role, position=invitation.position)
        else:
            StaffProfile.objects.create(user=user, role=invitation.role, position=invitation.position)
            StaffEvent.objects.create(
                actor=user,
                staff=user,
                action=StaffEvent.Action.CREATED,
                details={"role": invitation.role, "invitation": invitation.pk, "invited_by": invitation.invited_by},
            )
        invitation.used_at = timezone.now()
        invitation.user = user
        invitation.save(update_fields=["used_at", "user"])
    return user


def invitation_second_factor_done(*, user) -> None:
    """The user confirmed their authenticator: an invitation that made their account is spent now
    (idempotent; called inside `services.totp_device_confirm`'s transaction)."""
    Invitation.objects.filter(user=user, used_at__isnull=False, second_factor_at__isnull=True).update(
        second_factor_at=timezone.now()
    )


def invitations_pending():
    """Invitations not yet used nor revoked (expired ones included: they may be sent again)."""
    return Invitation.objects.filter(used_at__isnull=True, revoked_at__isnull=True)
