"""Writes to the regency catalog (public schema)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from .models import CatalogEvent, CatalogFAQ, CatalogRequirement, CatalogService

SERVICE_FIELDS = (
    "name",
    "aliases",
    "summary",
    "sla_working_days",
    "fee_rupiah",
    "procedure",
    "product",
    "complaint_handling",
    "legal_basis",
    "form_fields",
    "letter_classification",
    "order",
)
REQUIREMENT_FIELDS = ("name", "explanation", "required", "accepted_types", "max_image_mb", "max_pdf_mb", "order")
FAQ_FIELDS = ("question", "answer", "order")


@dataclass
class LoadResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    faqs_changed: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.faqs_changed)


def _sync(instance, values: dict, fields: tuple[str, ...]) -> bool:
    """Copy `values` onto `instance`; returns True (and saves) only if something differed."""
    dirty = False
    for name in fields:
        if name in values and getattr(instance, name) != values[name]:
            setattr(instance, name, values[name])
            dirty = True
    if dirty:
        instance.save()
    return dirty


def catalog_load(
    *, services: list[dict] | None = None, faqs: list[dict] | None = None, actor: str = "system"
) -> LoadResult:
    """Bring the catalog in line with the repository's data; idempotent (a second run changes nothing).

    Entries are matched by code. Requirements missing from the data are removed from the
    catalog only; kecamatan copies are never touched here (they are the kecamatan's own).
    """
    if services is None or faqs is None:
        from .data.standards import FAQS, SERVICES

        services = SERVICES if services is None else services
        faqs = FAQS if faqs is None else faqs
    result = LoadResult()
    with transaction.atomic():
        for data in services:
            service = CatalogService.objects.filter(code=data["code"]).first()
            if service is None:
                service = CatalogService.objects.create(
                    code=data["code"], **{k: data[k] for k in SERVICE_FIELDS if k in data}
                )
                changed, created = True, True
            else:
                changed, created = _sync(service, data, SERVICE_FIELDS), False
            wanted = {r["code"]: r for r in data.get("requirements", [])}
            existing = {r.code: r for r in service.requirements.all()}
            for code, values in wanted.items():
                if code in existing:
                    changed |= _sync(existing[code], values, REQUIREMENT_FIELDS)
                else:
                    CatalogRequirement.objects.create(
                        service=service, code=code, **{k: values[k] for k in REQUIREMENT_FIELDS if k in values}
                    )
                    changed = True
            stale = [r.pk for code, r in existing.items() if code not in wanted]
            if stale:
                CatalogRequirement.objects.filter(pk__in=stale).delete()
                changed = True
            if created:
                result.created += 1
            elif changed:
                service.save(update_fields=["updated_at"])
                result.updated += 1
            else:
                result.unchanged += 1
        for data in faqs:
            faq = CatalogFAQ.objects.filter(code=data["code"]).first()
            if faq is None:
                CatalogFAQ.objects.create(code=data["code"], **{k: data[k] for k in FAQ_FIELDS if k in data})
                result.faqs_changed += 1
            elif _sync(faq, data, FAQ_FIELDS):
                result.faqs_changed += 1
        if result.changed:
            CatalogEvent.objects.create(
                actor=actor,
                action="load",
                detail={"created": result.created, "updated": result.updated, "faqs_changed": result.faqs_changed},
            )
    return result
