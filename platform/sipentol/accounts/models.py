"""Staff of one kecamatan (lives in the kecamatan's schema) and their roles."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    VERIFIER = "verifier", _("Petugas pelayanan / verifikator")
    CAMAT = "camat", _("Camat")
    SEKCAM = "sekcam", _("Sekretaris Camat")
    ADMIN = "admin", _("Admin kecamatan")
    DESA_OPERATOR = "desa_operator", _("Operator desa")
    # Signs the desa's covering letters (sipentol.desa) with their own login and second factor.
    KEPALA_DESA = "kepala_desa", _("Kepala Desa / Lurah")


class RegencyRole(models.TextChoices):
    """Roles of Diskominfo and regency accounts (public schema); capabilities in permissions.py."""

    DISKOMINFO_ADMIN = "diskominfo_admin", _("Admin Diskominfo")
    OPERATOR = "operator", _("Operator Diskominfo")
    HELPDESK = "helpdesk", _("Petugas bantuan Diskominfo")
    LEADER = "leader", _("Pimpinan kabupaten")


class RegencyProfile(models.Model):
    """A Diskominfo or regency account's role. Lives in the public schema; kecamatan staff have a
    StaffProfile in their kecamatan's schema instead."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="regency")
    role = models.CharField(_("peran"), max_length=20, choices=RegencyRole.choices)
    position = models.CharField(_("jabatan"), max_length=120, blank=True)

    class Meta:
        verbose_name = _("akun kabupaten")
        verbose_name_plural = _("akun kabupaten")

    def __str__(self) -> str:
        return f"{self.user.get_full_name() or self.user.username} ({self.get_role_display()})"


class StaffProfile(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff")
    role = models.CharField(_("peran"), max_length=20, choices=Role.choices)
    nip = models.CharField(_("NIP"), max_length=18, blank=True)
    position = models.CharField(_("jabatan"), max_length=120, blank=True)
    # An operator desa or a Kepala Desa works for one desa: its Kemendagri code (public schema's tenants.Desa).
    desa_code = models.CharField(_("kode desa"), max_length=13, blank=True)
    # The staff member's own number for WhatsApp alerts (accounts/alerts.py), set on their alerts page.
    whatsapp = models.CharField(_("nomor WhatsApp untuk pemberitahuan"), max_length=20, blank=True)
    # Set when an admin gives a temporary password; `staff_required` sends them to change it.
    must_change_password = models.BooleanField(_("wajib ganti kata sandi"), default=False)

    class Meta:
        verbose_name = _("petugas")
        verbose_name_plural = _("petugas")

    def __str__(self) -> str:
        return f"{self.user.get_full_name() or self.user.username} ({self.get_role_display()})"


class StaffEvent(models.Model):
    """Append-only record of what an admin kecamatan did to a staff account (never holds a secret)."""

    class Action(models.TextChoices):
        CREATED = "created", _("Akun dibuat")
        UPDATED = "updated", _("Data diubah")
        DEACTIVATED = "deactivated", _("Akun dinonaktifkan")
        REACTIVATED = "reactivated", _("Akun diaktifkan kembali")
        TWO_FACTOR_RESET = "2fa_reset", _("Verifikasi dua langkah direset")
        BACKUP_CODES_RENEWED = "backup_renewed", _("Kode cadangan baru dibuat")
        PASSWORD_RESET = "password_reset", _("Kata sandi sementara dibuat ulang")
        PASSWORD_CHANGED = "password_changed", _("Kata sandi diganti oleh pemiliknya")
        CERTIFICATE_UPLOADED = "certificate", _("Sertifikat tanda tangan diunggah")
        ALERTS_CHANGED = "alerts", _("Pilihan pemberitahuan diubah")

    at = models.DateTimeField(auto_now_add=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    staff = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="staff_events")
    action = models.CharField(max_length=20, choices=Action.choices)
    details = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("riwayat akun petugas")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_id} {self.action} {self.staff_id}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("StaffEvent is append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("StaffEvent is append-only")


class SignInEvent(models.Model):
    """Append-only record of a sign-in step, in the schema where the account lives: kecamatan
    staff in their kecamatan's, Diskominfo and regency users in the public one. One shape for
    every host; `site` says which sign-in (staff, ops, dashboard). Never holds a secret."""

    class Action(models.TextChoices):
        PASSWORD_OK = "password_ok", _("Kata sandi benar")
        PASSWORD_FAILED = "password_failed", _("Kata sandi salah")
        ENROLMENT_CODE_FAILED = "enrol_code_failed", _("Kode pendaftaran salah")
        ENROLLED = "enrolled", _("Aplikasi autentikator didaftarkan")
        SIGNED_IN = "signed_in", _("Masuk (dua langkah)")
        BACKUP_CODE_USED = "backup_code_used", _("Masuk dengan kode cadangan")
        OTP_FAILED = "otp_failed", _("Kode verifikasi salah")
        LOCKED_OUT = "locked_out", _("Dikunci sementara")
        SIGNED_OUT = "signed_out", _("Keluar")
        SESSION_EXPIRED = "session_expired", _("Sesi berakhir")
        REAUTHENTICATED = "reauthenticated", _("Kata sandi dikonfirmasi ulang")
        TWO_FACTOR_RESET = "2fa_reset", _("Verifikasi dua langkah direset")
        BACKUP_CODES_RENEWED = "backup_renewed", _("Kode cadangan baru dibuat")
        INVITATION_ACCEPTED = "invite_accepted", _("Undangan diterima, akun dibuat")
        INVITATION_REFUSED = "invite_refused", _("Tautan undangan ditolak")

    at = models.DateTimeField(auto_now_add=True)
    site = models.CharField(max_length=20)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    username = models.CharField(max_length=150)  # as typed, also when no such account exists
    action = models.CharField(max_length=20, choices=Action.choices)
    ip_address = models.GenericIPAddressField(null=True)
    details = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("riwayat masuk")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.site} {self.username} {self.action}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("SignInEvent is append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("SignInEvent is append-only")


class EnrolmentCode(models.Model):
    """A one-time code an admin hands over so that its holder (and not merely whoever knows the
    password) may enrol an authenticator. Only its hash is stored."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="enrolment_codes")
    code_hash = models.CharField(max_length=128)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"enrolment code of {self.user_id}, until {self.expires_at:%Y-%m-%d %H:%M}"


class Invitation(models.Model):
    """A one-time link inviting a person to make their own account, in the schema where the
    account will live: a kecamatan's (its first admin, `role` a `Role`) or the public one
    (Diskominfo and regency accounts, `role` a `RegencyRole`). Only the token's hash is kept;
    the rules (validity, single use, revocation) live in `accounts/invitations.py`."""

    full_name = models.CharField(_("nama lengkap"), max_length=150)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("nomor WhatsApp"), max_length=20, blank=True)
    username = models.CharField(_("nama pengguna yang disarankan"), max_length=150, blank=True)
    role = models.CharField(_("peran"), max_length=20)
    position = models.CharField(_("jabatan"), max_length=120, blank=True)
    token_hash = models.CharField(max_length=64, unique=True)
    # The inviter lives in the public schema, the invitation maybe in a kecamatan's: a name, not a key.
    invited_by = models.CharField(_("diundang oleh"), max_length=150)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(_("terakhir dikirim"), null=True, blank=True)
    expires_at = models.DateTimeField(_("berlaku sampai"))
    used_at = models.DateTimeField(_("dipakai pada"), null=True, blank=True)
    # Set when the invited person confirms their authenticator: only then is the link spent.
    second_factor_at = models.DateTimeField(_("autentikator didaftarkan pada"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("dibatalkan pada"), null=True, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="invitations"
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("undangan akun")
        verbose_name_plural = _("undangan akun")

    def __str__(self) -> str:
        return f"invitation of {self.full_name} as {self.role}, until {self.expires_at:%Y-%m-%d %H:%M}"


class AlertType(models.TextChoices):
    """The alerts a staff member may receive (who receives which: accounts/alerts.py). Each is a
    message type of the outbox with its text in notifications/templates/notifications/<template>/,
    the template named `staff_<value>`."""

    NEW_APPLICATION = "new_application", _("Permohonan baru")
    COMPLETED = "completed", _("Pemohon sudah melengkapi berkas")
    SIGNING_DIGEST = "signing_digest", _("Ringkasan harian surat menunggu tanda tangan")
    SLA_WARNING = "sla_warning", _("Batas waktu layanan tinggal 2 hari kerja")
    SLA_LAPSED = "sla_lapsed", _("Ringkasan permohonan yang melewati batas waktu layanan")


class AlertPreference(models.Model):
    """How a staff member wants one type of alert: by e-mail, by WhatsApp, both or neither.

    No row means the default: e-mail on, WhatsApp off (a WhatsApp number is the staff member's
    own choice, `StaffProfile.whatsapp`)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="alert_preferences")
    alert_type = models.CharField(_("jenis pemberitahuan"), max_length=30, choices=AlertType.choices)
    email = models.BooleanField(_("e-mail"), default=True)
    whatsapp = models.BooleanField(_("WhatsApp"), default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("pilihan pemberitahuan petugas")
        verbose_name_plural = _("pilihan pemberitahuan petugas")
        constraints = [
            models.UniqueConstraint(fields=["user", "alert_type"], name="accounts_alert_preference_once"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.alert_type}: email={self.email} whatsapp={self.whatsapp}"


class AlertSent(models.Model):
    """That one staff member was alerted about one subject: a day's digest (`day:2026-08-18`) or
    an application in an escalation (`application:42`). Unique, so a beat job run twice (or by
    two beat processes) alerts once; written in the transaction that queues the message."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    alert_type = models.CharField(max_length=30, choices=AlertType.choices)
    subject = models.CharField(max_length=80)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "alert_type", "subject"], name="accounts_alert_sent_once"),
        ]

    def __str__(self) -> str:
        return f"{self.alert_type} {self.subject} -> {self.user_id}"
