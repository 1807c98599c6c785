"""Public-schema tables of the platform-wide provider webhooks (WhatsApp, SMS delivery reports).

One WhatsApp number and one SMS account serve every kecamatan, so Meta and the SMS gateway call
ONE endpoint on the regency host. A report names only the provider's message id; looking for it
in every kecamatan's outbox would query 18 (later hundreds of) schemas per call. Instead the
worker that sent a message writes one small row here (provider id -> schema and outbox row), and
the webhook reads one indexed row, then works inside that kecamatan's schema only.

A report can come before that row (Meta's "sent" often arrives while the worker is still
recording the send): the webhook then writes the row with the report and no schema, and the
worker applies the waiting report when it registers the id. Nothing a provider reports is lost.

Phone numbers are not stored here: the 24-hour window is keyed by a keyed hash of the number.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ProviderMessage(models.Model):
    provider = models.CharField(_("penyedia"), max_length=20)
    provider_message_id = models.CharField(_("ID pesan penyedia"), max_length=200)
    schema_name = models.CharField(_("skema kecamatan"), max_length=63, blank=True)
    message_id = models.BigIntegerField(_("ID pesan keluar"), null=True, blank=True)
    # A report that arrived before the worker registered the id (applied on registration).
    waiting_delivery = models.CharField(_("laporan menunggu"), max_length=10, blank=True)
    waiting_error = models.TextField(_("galat laporan menunggu"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "provider_message_id"], name="notifications_routing_provider_id"
            )
        ]

    def __str__(self) -> str:
        return f"{self.provider}:{self.provider_message_id} -> {self.schema_name or '?'}#{self.message_id}"


class WhatsAppContact(models.Model):
    """When a citizen last wrote to the platform's WhatsApp number: free text may follow for 24 hours."""

    number_hash = models.CharField(_("hash nomor"), max_length=64, unique=True)
    last_inbound_at = models.DateTimeField(_("pesan masuk terakhir"))

    def __str__(self) -> str:
        return f"{self.number_hash[:8]}... {self.last_inbound_at:%Y-%m-%d %H:%M}"
