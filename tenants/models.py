"""The regency's kecamatan (one tenant each), their host names and their desa/kelurahan."""

from __future__ import annotations

from django.core.management import call_command
from django.db import connection, models
from django.utils.translation import gettext_lazy as _
from django_tenants.models import DomainMixin, TenantMixin
from django_tenants.utils import get_creation_fakes_migrations, schema_exists

from .schema_clone import schema_clone


class Kecamatan(TenantMixin):
    class Status(models.TextChoices):
        ONBOARDING = "onboarding", _("Dalam persiapan")
        ACTIVE = "active", _("Aktif")
        SUSPENDED = "suspended", _("Dihentikan sementara")

    code = models.CharField(_("kode wilayah"), max_length=8, unique=True, help_text="e.g. 35.16.16")
    name = models.CharField(_("nama"), max_length=100)
    slug = models.SlugField(_("subdomain"), max_length=40, unique=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.ONBOARDING)
    status_reason = models.CharField(_("alasan status"), max_length=300, blank=True)
    address = models.CharField(_("alamat kantor"), max_length=300, blank=True)
    phone = models.CharField(_("telepon"), max_length=30, blank=True)
    whatsapp = models.CharField(_("WhatsApp"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    office_hours = models.CharField(_("jam layanan"), max_length=200, blank=True)
    # While onboarding or suspended: the day the office plans to take applications (shown on the
    # page that refuses a submission). Optional; set by Diskominfo on the go-live page.
    opens_on = models.DateField(_("rencana tanggal buka layanan"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    auto_create_schema = True
    auto_drop_schema = False  # dropping a kecamatan's data is an explicit, audited operation

    class Meta:
        ordering = ["code"]
        verbose_name = _("kecamatan")
        verbose_name_plural = _("kecamatan")

    def __str__(self) -> str:
        return f"Kecamatan {self.name}"

    def create_schema(self, check_if_exists: bool = False, sync_schema: bool = True, verbosity: int = 1) -> bool:
        """django-tenants' create_schema, with our schema_clone in place of its clone_schema SQL
        function, whose cost grows with the number of kecamatan (tenants/schema_clone.py)."""
        base_schema = self.get_base_schema() if get_creation_fakes_migrations() else False
        if not (sync_schema and base_schema and schema_exists(base_schema)):
            return super().create_schema(check_if_exists, sync_schema, verbosity)
        if check_if_exists and schema_exists(self.schema_name):
            return False
        schema_clone(source=base_schema, dest=self.schema_name)
        call_command(
            "migrate_schemas",
            tenant=True,
            fake=True,
            schema_name=self.schema_name,
            interactive=False,
            verbosity=verbosity,
        )
        connection.set_schema_to_public()
        return True

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE

    @property
    def is_suspended(self) -> bool:
        return self.status == self.Status.SUSPENDED


class Domain(DomainMixin):
    class Meta:
        verbose_name = _("domain")

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        # Remembered so that renaming a domain also forgets the old name's cached route.
        instance._loaded_domain = instance.domain
        return instance


class Desa(models.Model):
    """A desa or kelurahan, with its Kemendagri code (35.16.16.2001)."""

    class Kind(models.TextChoices):
        DESA = "desa", _("Desa")
        KELURAHAN = "kelurahan", _("Kelurahan")

    kecamatan = models.ForeignKey(Kecamatan, on_delete=models.CASCADE, related_name="desa_set")
    code = models.CharField(_("kode wilayah"), max_length=13, unique=True)
    name = models.CharField(_("nama"), max_length=100)
    kind = models.CharField(_("jenis"), max_length=10, choices=Kind.choices)

    class Meta:
        ordering = ["code"]
        verbose_name = _("desa/kelurahan")
        verbose_name_plural = _("desa/kelurahan")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.name}"


class OpsEvent(models.Model):
    """Append-only audit trail of what Diskominfo did: to a kecamatan (provision, suspend, resume,
    profile) or on the console without one (an account invited, a plan changed: `target` names
    what was touched). Never holds a secret or a citizen's personal data."""

    kecamatan = models.ForeignKey(Kecamatan, null=True, blank=True, on_delete=models.PROTECT, related_name="ops_events")
    at = models.DateTimeField(auto_now_add=True)
    actor = models.CharField(max_length=150)
    action = models.CharField(max_length=30)
    from_status = models.CharField(max_length=12, blank=True)
    to_status = models.CharField(max_length=12, blank=True)
    reason = models.CharField(max_length=300, blank=True)
    target = models.CharField(max_length=200, blank=True)  # e.g. "user:pimpinan.baru", "plan:Standar"
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    details = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor} {self.action} {self.kecamatan_id or self.target}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("OpsEvent is append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("OpsEvent is append-only")
