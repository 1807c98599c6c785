"""The regency's catalog of PATEN services (public schema).

Each entry carries the public components of the service standard (PermenPAN-RB 15/2014):
persyaratan, prosedur, jangka waktu, biaya, produk, penanganan pengaduan, dasar hukum, plus
the fields of its application form. Kecamatan copy entries into their own schema
(`services_catalog.configured`) and adjust them there; the catalog itself is loaded from
`services_catalog/data/` by `catalog_load` and is never edited per kecamatan.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

DEFAULT_ACCEPTED_TYPES = ["image/jpeg", "image/png", "application/pdf"]


def default_accepted_types() -> list[str]:
    return list(DEFAULT_ACCEPTED_TYPES)


class ServiceStandard(models.Model):
    """The standard components shared by a catalog entry and a kecamatan's copy of it."""

    name = models.CharField(_("nama layanan"), max_length=200)
    aliases = models.TextField(_("kata kunci lain"), blank=True, help_text="comma-separated, for search")
    summary = models.TextField(_("ringkasan"))
    sla_working_days = models.PositiveSmallIntegerField(_("jangka waktu (hari kerja)"))
    fee_rupiah = models.PositiveIntegerField(_("biaya (Rp)"), default=0)
    procedure = models.JSONField(_("prosedur"), default=list)  # list[str], steps
    product = models.TextField(_("produk layanan"))
    complaint_handling = models.TextField(_("penanganan pengaduan"))
    legal_basis = models.TextField(_("dasar hukum"))  # one regulation per line
    form_fields = models.JSONField(_("isian formulir"), default=list)
    letter_classification = models.CharField(_("kode klasifikasi surat"), max_length=20)
    order = models.PositiveSmallIntegerField(_("urutan"), default=0)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name

    @property
    def legal_basis_lines(self) -> list[str]:
        return [line.strip() for line in self.legal_basis.splitlines() if line.strip()]

    @property
    def complaint_handling_lines(self) -> list[str]:
        return [line.strip() for line in self.complaint_handling.splitlines() if line.strip()]


class RequirementStandard(models.Model):
    code = models.SlugField(_("kode"), max_length=60)
    name = models.CharField(_("nama persyaratan"), max_length=200)
    explanation = models.TextField(_("penjelasan"), blank=True)
    required = models.BooleanField(_("wajib"), default=True)
    accepted_types = models.JSONField(_("jenis berkas"), default=default_accepted_types)
    max_image_mb = models.PositiveSmallIntegerField(_("ukuran maksimal foto (MB)"), default=5)
    max_pdf_mb = models.PositiveSmallIntegerField(_("ukuran maksimal PDF (MB)"), default=10)
    order = models.PositiveSmallIntegerField(_("urutan"), default=0)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name


class CatalogService(ServiceStandard):
    code = models.SlugField(_("kode"), max_length=60, unique=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("layanan katalog")
        verbose_name_plural = _("katalog layanan")


class CatalogRequirement(RequirementStandard):
    service = models.ForeignKey(CatalogService, related_name="requirements", on_delete=models.CASCADE)

    class Meta:
        ordering = ["service", "order", "pk"]
        constraints = [models.UniqueConstraint(fields=["service", "code"], name="catalog_requirement_code_unique")]
        verbose_name = _("persyaratan katalog")
        verbose_name_plural = _("persyaratan katalog")


class CatalogFAQ(models.Model):
    """A question citizens ask about online PATEN in general (shown on every kecamatan's FAQ)."""

    code = models.SlugField(max_length=60, unique=True)
    question = models.CharField(_("pertanyaan"), max_length=300)
    answer = models.TextField(_("jawaban"))
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("tanya jawab")
        verbose_name_plural = _("tanya jawab")

    def __str__(self) -> str:
        return self.question


class CatalogEvent(models.Model):
    """Append-only record of changes to the regency catalog (loads from the repository data)."""

    at = models.DateTimeField(auto_now_add=True)
    actor = models.CharField(max_length=150)
    action = models.CharField(max_length=30)
    detail = models.JSONField(default=dict)

    class Meta:
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor} {self.action}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("CatalogEvent is append-only")
        super().save(*args, **kwargs)


# ------------------------------------------------------------------ regency templates (blueprints)
class TemplateSource(models.Model):
    """A kecamatan Diskominfo marks as a model: its admin may publish regency templates.

    Keyed by the Kemendagri code so that the regency load can mark Jetis before its tenant exists.
    """

    kecamatan_code = models.CharField(_("kode wilayah"), max_length=8, unique=True)
    enabled = models.BooleanField(_("boleh menerbitkan templat"), default=True)
    changed_by = models.CharField(max_length=150, blank=True)
    changed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("kecamatan model")
        verbose_name_plural = _("kecamatan model")

    def __str__(self) -> str:
        return f"{self.kecamatan_code} {'on' if self.enabled else 'off'}"


class RegencyTemplate(models.Model):
    """A named configuration a model kecamatan publishes for the others; its content is in versions."""

    name = models.CharField(_("nama templat"), max_length=100, unique=True)
    source = models.ForeignKey("tenants.Kecamatan", on_delete=models.PROTECT, related_name="regency_templates")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("templat kabupaten")
        verbose_name_plural = _("templat kabupaten")

    def __str__(self) -> str:
        return self.name


class RegencyTemplateVersion(models.Model):
    """One published snapshot of a template: immutable (a change is a new version)."""

    template = models.ForeignKey(RegencyTemplate, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField(_("versi"))
    snapshot = models.JSONField()
    note = models.CharField(_("catatan"), max_length=300, blank=True)
    published_by = models.CharField(max_length=150)
    published_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["template", "-number"]
        constraints = [models.UniqueConstraint(fields=["template", "number"], name="template_version_number_unique")]
        verbose_name = _("versi templat")
        verbose_name_plural = _("versi templat")

    def __str__(self) -> str:
        return f"{self.template.name} v{self.number}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("RegencyTemplateVersion is immutable: publish a new version")
        super().save(*args, **kwargs)


class TemplateApplication(models.Model):
    """Append-only: a template version was applied to a kecamatan (its last one is the base for the next)."""

    kecamatan = models.ForeignKey("tenants.Kecamatan", on_delete=models.PROTECT, related_name="template_applications")
    version = models.ForeignKey(RegencyTemplateVersion, on_delete=models.PROTECT, related_name="applications")
    at = models.DateTimeField(auto_now_add=True)
    actor = models.CharField(max_length=150)
    changes = models.JSONField(default=dict)  # {section: [line, ...]}

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.version} -> {self.kecamatan_id}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("TemplateApplication is append-only")
        super().save(*args, **kwargs)
