"""The notification outbox: one row per message and channel, written in the caller's transaction."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    EMAIL = "email", _("E-mail")
    WHATSAPP = "whatsapp", _("WhatsApp")
    SMS = "sms", _("SMS")


class Delivery(models.TextChoices):
    """What the provider reported after accepting a message (WhatsApp webhook, SMS delivery report)."""

    DELIVERED = "delivered", _("Sampai di ponsel")
    READ = "read", _("Dibaca")
    FAILED = "failed", _("Gagal sampai")


class OutboxMessage(models.Model):
    """A message waiting to be delivered, or the record of how its delivery went.

    Status moves pending -> sending -> sent, or sending -> failed (retried at next_attempt_at)
    -> ... -> dead after the last attempt. `sending` is committed BEFORE the provider is called,
    so a second worker never sends the same row. `handed_over_at` is committed at the last
    moment before the provider can accept the message (for e-mail: before the final "." of
    SMTP DATA). A row a crash left in `sending` is sent again after
    NOTIFICATIONS_SENDING_LEASE_SECONDS only if it was never handed over; if it was, the provider
    may have it, so it becomes `uncertain` and waits for an operator (never sent twice; README.md).
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Menunggu dikirim")
        SENDING = "sending", _("Sedang dikirim")
        SENT = "sent", _("Terkirim")
        FAILED = "failed", _("Gagal, akan dicoba lagi")
        DEAD = "dead", _("Gagal permanen")
        UNCERTAIN = "uncertain", _("Mungkin terkirim, perlu diperiksa")

    event = models.CharField(_("peristiwa"), max_length=80)
    template = models.CharField(_("templat"), max_length=80)
    channel = models.CharField(_("kanal"), max_length=10, choices=Channel.choices)
    recipient = models.CharField(_("penerima"), max_length=254)
    recipient_masked = models.CharField(_("penerima (disamarkan)"), max_length=254)
    subject = models.CharField(_("subjek"), max_length=255, blank=True)
    body = models.TextField(_("isi"))
    dedupe_key = models.CharField(_("kunci deduplikasi"), max_length=200)

    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("jumlah percobaan"), default=0)
    next_attempt_at = models.DateTimeField(_("percobaan berikutnya"), default=timezone.now)
    claimed_at = models.DateTimeField(_("mulai dikirim"), null=True, blank=True)
    # Committed just before the provider could accept the message; cleared at each claim.
    handed_over_at = models.DateTimeField(_("diserahkan ke penyedia"), null=True, blank=True)
    queued_at = models.DateTimeField(_("terakhir diantrekan"), null=True, blank=True)
    last_error = models.TextField(_("galat terakhir"), blank=True)
    provider_message_id = models.CharField(_("ID pesan penyedia"), max_length=200, blank=True)
    sent_at = models.DateTimeField(_("terkirim pada"), null=True, blank=True)
    # The approved WhatsApp template's body parameters, computed at emit time from the same
    # context as the body (sipentol.notifications.whatsapp); empty for other channels.
    template_params = models.JSONField(_("parameter templat"), default=list, blank=True)
    delivery = models.CharField(_("laporan penyedia"), max_length=10, choices=Delivery.choices, blank=True)
    delivery_at = models.DateTimeField(_("laporan penyedia pada"), null=True, blank=True)
    # The WhatsApp message this SMS replaces (delivery failed); one at most, since (dedupe_key,
    # channel) is unique: the fallback is made exactly once however often the failure is reported.
    fallback_of = models.OneToOneField(
        "self",
        verbose_name=_("pengganti pesan"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="fallback",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("pesan keluar")
        verbose_name_plural = _("pesan keluar")
        constraints = [
            models.UniqueConstraint(fields=["dedupe_key", "channel"], name="notifications_outbox_dedupe_channel"),
        ]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="notifications_outbox_due")]

    def __str__(self) -> str:
        return f"{self.template} -> {self.channel}:{self.recipient_masked} ({self.status})"
