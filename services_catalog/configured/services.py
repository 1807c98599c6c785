"""Writes to a kecamatan's service list.

`kecamatan_services_init` crosses tenants (it is called by provisioning with a kecamatan);
every other service works in the current tenant's schema and leaves a ServiceChangeEvent.
"""

from __future__ import annotations

import re
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from services_catalog.models import CatalogService
from services_catalog.services import SERVICE_FIELDS

from .models import FIELD_TYPES, KecamatanService, ServiceChangeEvent, ServiceRequirement

# The service-standard fields a kecamatan copies from the catalog (and may customise).
STANDARD_FIELDS = SERVICE_FIELDS
EDITABLE_FIELDS = frozenset(STANDARD_FIELDS) | {"enabled"}
REQUIREMENT_FIELDS = (
    "name",
    "explanation",
    "required",
    "accepted_types",
    "max_image_mb",
    "max_pdf_mb",
    "order",
)
ALLOWED_UPLOAD_TYPES = frozenset({"image/jpeg", "image/png", "application/pdf"})
# Archive classification codes (Permendagri 78/2012, 83/2022) are numbers joined by dots; a slash
# or a space would break the letter number `[klasifikasi]/[urut]/[kode unit]/[tahun]`.
LETTER_CLASSIFICATION_RE = re.compile(r"\d+(\.\d+)*")


def kecamatan_services_init(*, kecamatan, actor: str = "system") -> int:
    """Copy every regency catalog service the kecamatan lacks into its schema; returns how many.

    Idempotent. Services already present (matched by catalog code) keep every field the
    kecamatan changed (`customized_fields`); their other standard fields follow the catalog,
    so a catalog update (e.g. a new form field a letter needs) reaches kecamatan that already
    run. Requirements of an existing copy are the kecamatan's own and are left alone. The
    first copy starts enabled, so an onboarding kecamatan's admin reviews and adjusts the
    full list before going live.
    """
    from django_tenants.utils import tenant_context

    catalog = list(CatalogService.objects.prefetch_related("requirements").order_by("order", "code"))
    created = 0
    with tenant_context(kecamatan), transaction.atomic():
        present = {s.catalog_code: s for s in KecamatanService.objects.select_for_update()}
        # The first copy is the full list, enabled; a service the regency adds later arrives
        # disabled in a kecamatan that already runs, until its admin reviews and enables it.
        first_copy = not present
        for entry in catalog:
            if entry.code in present:
                _refresh_from_catalog(present[entry.code], entry, actor=actor)
                continue
            service = KecamatanService.objects.create(
                catalog_code=entry.code,
                slug=entry.code,
                enabled=first_copy,
                **{name: getattr(entry, name) for name in STANDARD_FIELDS},
            )
            ServiceRequirement.objects.bulk_create(
                ServiceRequirement(
                    service=service,
                    code=req.code,
                    **{name: getattr(req, name) for name in REQUIREMENT_FIELDS},
                )
                for req in entry.requirements.all()
            )
            ServiceChangeEvent.objects.create(
                service=service, actor=actor, action="init", changes={"catalog_code": entry.code}
            )
            created += 1
    return created


def _refresh_from_catalog(service: KecamatanService, entry: CatalogService, *, actor: str) -> bool:
    """Bring the fields this kecamatan did not customise in line with the catalog; True if any changed."""
    customized = set(service.customized_fields)
    diff = {}
    for name in STANDARD_FIELDS:
        if name in customized:
            continue
        old, new = getattr(service, name), getattr(entry, name)
        if old != new:
            diff[name] = {"from": old, "to": new}
            setattr(service, name, new)
    if not diff:
        return False
    service.save(update_fields=[*diff, "updated_at"])
    ServiceChangeEvent.objects.create(
        service=service, actor=actor, action="catalog_update", changes={"catalog_code": entry.code, **diff}
    )
    return True


def _validate_form_fields(fields: Any) -> None:
    if not isinstance(fields, list):
        raise ValidationError(_("Isian formulir harus berupa daftar."))
    names = set()
    for field in fields:
        if not isinstance(field, dict) or not field.get("name") or not field.get("label"):
            raise ValidationError(_("Setiap isian formulir perlu nama dan label. Lengkapi lalu simpan lagi."))
        if field.get("type") not in FIELD_TYPES:
            raise ValidationError(
                _("Jenis isian “%(type)s” tidak dikenal. Pilih salah satu: %(types)s.")
                % {"type": field.get("type"), "types": ", ".join(FIELD_TYPES)}
            )
        if field["type"] == "choice" and not field.get("choices"):
            raise ValidationError(
                _("Isian pilihan “%(label)s” belum punya pilihan. Tambahkan pilihannya.") % {"label": field["label"]}
            )
        if field["name"] in names:
            raise ValidationError(_("Nama isian “%(name)s” dipakai dua kali.") % {"name": field["name"]})
        names.add(field["name"])


def _validate_service_changes(changes: dict[str, Any]) -> None:
    unknown = set(changes) - EDITABLE_FIELDS
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    if "sla_working_days" in changes and not 1 <= int(changes["sla_working_days"]) <= 60:
        raise ValidationError(_("Jangka waktu harus antara 1 dan 60 hari kerja."))
    if "fee_rupiah" in changes and int(changes["fee_rupiah"]) < 0:
        raise ValidationError(_("Biaya tidak boleh negatif. Isi 0 untuk layanan gratis."))
    if "procedure" in changes and (
        not isinstance(changes["procedure"], list)
        or not all(isinstance(s, str) and s.strip() for s in changes["procedure"])
    ):
        raise ValidationError(_("Prosedur harus berupa daftar langkah yang tidak kosong."))
    if "form_fields" in changes:
        _validate_form_fields(changes["form_fields"])
    if "name" in changes and not str(changes["name"]).strip():
        raise ValidationError(_("Nama layanan tidak boleh kosong."))
    if "letter_classification" in changes:
        code = str(changes["letter_classification"])
        if len(code) > 20 or not LETTER_CLASSIFICATION_RE.fullmatch(code):
            raise ValidationError(
                _(
                    "Kode klasifikasi surat berupa angka, boleh dipisah titik, paling panjang 20 karakter "
                    "(contoh 470 atau 474.3). Perbaiki lalu simpan lagi."
                )
            )


def kecamatan_service_update(*, service: KecamatanService, actor: str, changes: dict[str, Any]) -> KecamatanService:
    """Override components of this kecamatan's copy (SLA, fee, fields, texts, letter classification, enabled).

    The letter classification set here is the one every letter of the service is numbered with.
    """
    _validate_service_changes(changes)
    with transaction.atomic():
        service = KecamatanService.objects.select_for_update().get(pk=service.pk)
        if "form_fields" in changes:
            _check_standard_fields_kept(service.form_fields, changes["form_fields"])
        diff = {}
        for name, value in changes.items():
            old = getattr(service, name)
            if old != value:
                diff[name] = {"from": old, "to": value}
                setattr(service, name, value)
        if not diff:
            return service
        customized = set(service.customized_fields) | (set(diff) - {"enabled"})
        service.customized_fields = sorted(customized)
        service.save()
        ServiceChangeEvent.objects.create(service=service, actor=actor, action="update", changes=diff)
    return service


def kecamatan_service_set_enabled(*, service: KecamatanService, enabled: bool, actor: str) -> KecamatanService:
    """Show or hide a service on this kecamatan's portal (applications in progress are unaffected)."""
    with transaction.atomic():
        service = KecamatanService.objects.select_for_update().get(pk=service.pk)
        if service.enabled == enabled:
            return service
        service.enabled = enabled
        service.save(update_fields=["enabled", "updated_at"])
        ServiceChangeEvent.objects.create(
            service=service, actor=actor, action="enable" if enabled else "disable", changes={"enabled": enabled}
        )
    return service


def _validate_requirement(values: dict[str, Any]) -> None:
    unknown = set(values) - set(REQUIREMENT_FIELDS)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    if "accepted_types" in values:
        types = values["accepted_types"]
        if not types or not set(types) <= ALLOWED_UPLOAD_TYPES:
            raise ValidationError(_("Jenis berkas yang boleh: JPEG, PNG, PDF. Pilih minimal satu."))
    for key, top in (("max_image_mb", 5), ("max_pdf_mb", 10)):
        if key in values and not 1 <= int(values[key]) <= top:
            raise ValidationError(_("Ukuran maksimal harus antara 1 dan %(top)s MB.") % {"top": top})
    if "name" in values and not str(values["name"]).strip():
        raise ValidationError(_("Nama persyaratan tidak boleh kosong."))


def service_requirement_add(
    *, service: KecamatanService, actor: str, code: str, name: str, **values: Any
) -> ServiceRequirement:
    """Add a requirement this kecamatan asks for on top of the catalog's."""
    _validate_requirement({"name": name, **values})
    with transaction.atomic():
        if ServiceRequirement.objects.filter(service=service, code=code).exists():
            raise ValidationError(_("Persyaratan dengan kode “%(code)s” sudah ada.") % {"code": code})
        if "order" not in values:
            values["order"] = service.requirements.count() + 1
        requirement = ServiceRequirement.objects.create(service=service, code=code, name=name, **values)
        ServiceChangeEvent.objects.create(
            service=service, actor=actor, action="requirement_add", changes={"code": code, "name": name, **values}
        )
    return requirement


def service_requirement_update(
    *, requirement: ServiceRequirement, actor: str, changes: dict[str, Any]
) -> ServiceRequirement:
    """Change one requirement of this kecamatan's service (e.g. make it optional)."""
    _validate_requirement(changes)
    with transaction.atomic():
        requirement = ServiceRequirement.objects.select_for_update().get(pk=requirement.pk)
        diff = {}
        for name, value in changes.items():
            if getattr(requirement, name) != value:
                diff[name] = {"from": getattr(requirement, name), "to": value}
                setattr(requirement, name, value)
        if diff:
            requirement.save()
            ServiceChangeEvent.objects.create(
                service_id=requirement.service_id,
                actor=actor,
                action="requirement_update",
                changes={"code": requirement.code, **diff},
            )
    return requirement


def service_requirement_remove(*, requirement: ServiceRequirement, actor: str) -> None:
    """Stop asking for a requirement in this kecamatan."""
    with transaction.atomic():
        ServiceChangeEvent.objects.create(
            service_id=requirement.service_id,
            actor=actor,
            action="requirement_remove",
            changes={"code": requirement.code, "name": requirement.name},
        )
        requirement.delete()


# ------------------------------------------------------------------ form fields, one at a time
# Applications and letters read these by name (applicant columns, letter identity block), so a
# kecamatan may relabel them but not remove them, change their type or make them optional.
STANDARD_FORM_FIELDS = {"nama": "text", "nik": "nik", "telepon": "phone", "desa": "desa"}
# Names the application form itself uses (hidden key, one file input per requirement `doc_<code>`).
_RESERVED_FIELD_NAMES = frozenset({"idempotency_key", "consent"})


class StandardFieldError(ValidationError):
    """A change that would drop or weaken a standard applicant field."""


def _check_standard_fields_kept(old_fields: list[dict], new_fields: list[dict]) -> None:
    new_by_name = {f.get("name"): f for f in new_fields if isinstance(f, dict)}
    for old in old_fields:
        name = old.get("name")
        if name not in STANDARD_FORM_FIELDS:
            continue
        label = old.get("label", name)
        new = new_by_name.get(name)
        if new is None:
            raise StandardFieldError(
                _(
                    "Isian “%(label)s” tidak dapat dihapus karena permohonan dan surat memakainya. "
                    "Anda dapat mengubah label atau keterangannya."
                )
                % {"label": label}
            )
        if new.get("type") != old.get("type"):
            raise StandardFieldError(
                _("Jenis isian “%(label)s” tidak dapat diubah karena permohonan dan surat memakainya.")
                % {"label": label}
            )
        if not new.get("required", True):
            raise StandardFieldError(
                _("Isian “%(label)s” harus tetap wajib diisi karena permohonan dan surat memakainya.")
                % {"label": label}
            )


def _field_name_from_label(label: str, taken: set[str]) -> str:
    from django.utils.text import slugify

    base = slugify(label).replace("-", "_")[:40].strip("_") or "isian"
    if base[0].isdigit() or base.startswith("doc_") or base in _RESERVED_FIELD_NAMES:
        base = f"isian_{base}"[:40]
    name, n = base, 2
    while name in taken:
        name, n = f"{base}_{n}", n + 1
    return name


def _field_spec(*, name: str, label: str, type: str, required: bool, help: str, choices: list[str]) -> dict:
    return {
        "name": name,
        "label": label.strip(),
        "type": type,
        "required": bool(required),
        "help": help.strip(),
        "choices": [c.strip() for c in choices if c.strip()] if type == "choice" else [],
    }


def _form_fields_save(
    *, service: KecamatanService, fields: list[dict], actor: str, action: str, changes: dict
) -> KecamatanService:
    """Validate and store a new field list on a locked service, with its event row."""
    _validate_form_fields(fields)
    _check_standard_fields_kept(service.form_fields, fields)
    service.form_fields = fields
    service.customized_fields = sorted(set(service.customized_fields) | {"form_fields"})
    service.save(update_fields=["form_fields", "customized_fields", "updated_at"])
    ServiceChangeEvent.objects.create(service=service, actor=actor, action=action, changes=changes)
    return service


def service_form_field_add(
    *,
    service: KecamatanService,
    actor: str,
    label: str,
    type: str,
    required: bool = True,
    help: str = "",
    choices: list[str] | None = None,
) -> dict:
    """Append a field to this kecamatan's form for the service; its name is made from the label."""
    if not label.strip():
        raise ValidationError(_("Label isian tidak boleh kosong. Tulis pertanyaan yang dilihat pemohon."))
    with transaction.atomic():
        service = KecamatanService.objects.select_for_update().get(pk=service.pk)
        fields = [dict(f) for f in service.form_fields]
        name = _field_name_from_label(label, {f["name"] for f in fields})
        spec = _field_spec(name=name, label=label, type=type, required=required, help=help, choices=choices or [])
        _form_fields_save(service=service, fields=[*fields, spec], actor=actor, action="field_add", changes=spec)
    return spec


def service_form_field_update(*, service: KecamatanService, actor: str, name: str, changes: dict[str, Any]) -> dict:
    """Change one field (label, type, required, help, choices); its name stays, letters use it."""
    unknown = set(changes) - {"label", "type", "required", "help", "choices"}
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    if "label" in changes and not str(changes["label"]).strip():
        raise ValidationError(_("Label isian tidak boleh kosong. Tulis pertanyaan yang dilihat pemohon."))
    with transaction.atomic():
        service = KecamatanService.objects.select_for_update().get(pk=service.pk)
        fields = [dict(f) for f in service.form_fields]
        index = next((i for i, f in enumerate(fields) if f["name"] == name), None)
        if index is None:
            raise ValidationError(_("Isian “%(name)s” tidak ada (mungkin sudah dihapus).") % {"name": name})
        old = fields[index]
        merged = {
            "label": old.get("label", name),
            "type": old.get("type", "text"),
            "required": old.get("required", True),
            "help": old.get("help", ""),
            "choices": old.get("choices", []),
        } | changes
        new = {**old, **_field_spec(name=name, **merged)}
        diff = {k: {"from": old.get(k), "to": v} for k, v in new.items() if old.get(k) != v}
        if not diff:
            return old
        fields[index] = new
        _form_fields_save(
            service=service, fields=fields, actor=actor, action="field_update", changes={"name": name, **diff}
        )
    return new


def service_form_field_remove(*, service: KecamatanService, actor: str, name: str) -> None:
    """Drop a field from the form; the standard applicant fields are refused (StandardFieldError)."""
    with transaction.atomic():
        service = KecamatanService.objects.select_for_update().get(pk=service.pk)
        fields = [dict(f) for f in service.form_fields]
        removed = next((f for f in fields if f["name"] == name), None)
        if removed is None:
            return  # already gone: a repeated click changes nothing
        _form_fields_save(
            service=service,
            fields=[f for f in fields if f["name"] != name],
            actor=actor,
            action="field_remove",
            changes={"name": name, "label": removed.get("label", name)},
        )
