"""The "services" section of a regency template: this kecamatan's service list, as configured.

Carried: which services are enabled, every service-standard field (SLA, fee, texts, form fields,
letter classification code), the fields the kecamatan customised, and the requirements. Nothing
else of a service (its id, its applications, its change history) is exported. Runs inside a
kecamatan's schema (see tenants/blueprints.py for the contract).
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from tenants.blueprints import MISSING, Section, take

from .models import KecamatanService, ServiceChangeEvent, ServiceRequirement
from .services import REQUIREMENT_FIELDS, STANDARD_FIELDS

SERVICE_KEYS = ("slug", "enabled", *STANDARD_FIELDS)
ITEM_FIELDS = frozenset({*SERVICE_KEYS, "customized_fields", "requirements"})
REQUIREMENT_KEYS = frozenset(REQUIREMENT_FIELDS)


def services_export(kecamatan) -> dict:
    data = {}
    for service in KecamatanService.objects.prefetch_related("requirements").order_by("order", "catalog_code"):
        item = {name: getattr(service, name) for name in SERVICE_KEYS}
        item["customized_fields"] = sorted(service.customized_fields)
        item["requirements"] = {
            r.code: {name: getattr(r, name) for name in REQUIREMENT_FIELDS}
            for r in sorted(service.requirements.all(), key=lambda r: (r.order, r.code))
        }
        data[service.catalog_code] = item
    return data


def _base_of(base: dict | None, *keys: str):
    """The value the last template gave at `keys`, or MISSING (never received, or not in it)."""
    if base is None or base is MISSING:
        return MISSING
    node = base
    for key in keys:
        if not isinstance(node, dict) or key not in node:
            return MISSING
        node = node[key]
    return node


def services_apply(kecamatan, data: dict, base: dict | None, actor: str, label: str) -> list[str]:
    lines: list[str] = []
    with transaction.atomic():
        present = {s.catalog_code: s for s in KecamatanService.objects.select_for_update()}
        for code, item in data.items():
            service = present.get(code)
            if service is None:
                lines.append(_create(code, item, actor=actor, label=label))
                continue
            lines += _update(service, item, base_item=_base_of(base, code), actor=actor, label=label)
        if base is None:
            # The first template a kecamatan receives gives its whole list: a service the
            # template does not have (added to the catalog since) waits disabled for review.
            for code, service in present.items():
                if code not in data and service.enabled:
                    service.enabled = False
                    service.save(update_fields=["enabled", "updated_at"])
                    _event(service, actor, label, {"enabled": {"from": True, "to": False}})
                    lines.append(f"{code}: disabled (not in the template)")
    return lines


def _event(service: KecamatanService, actor: str, label: str, diff: dict) -> None:
    ServiceChangeEvent.objects.create(
        service=service, actor=actor, action="template_apply", changes={"template": label, **diff}
    )


def _create(code: str, item: dict, *, actor: str, label: str) -> str:
    service = KecamatanService.objects.create(
        catalog_code=code,
        customized_fields=list(item.get("customized_fields", [])),
        **{name: item[name] for name in SERVICE_KEYS if name in item},
    )
    ServiceRequirement.objects.bulk_create(
        ServiceRequirement(service=service, code=req_code, **values)
        for req_code, values in item.get("requirements", {}).items()
    )
    _event(service, actor, label, {})
    return f"{code}: created"


def _update(service: KecamatanService, item: dict, *, base_item, actor: str, label: str) -> list[str]:
    diff = {}
    for name in SERVICE_KEYS:
        if name not in item:
            continue
        current = getattr(service, name)
        wanted = take(current, item[name], _base_of(base_item, name))
        if wanted != current:
            diff[name] = {"from": current, "to": wanted}
            setattr(service, name, wanted)
    # The template's customised fields stay customised here, so a later catalog update does not
    # undo them (kecamatan_services_init refreshes only the fields nobody customised).
    customized = sorted(set(service.customized_fields) | set(item.get("customized_fields", [])))
    if diff or customized != sorted(service.customized_fields):
        service.customized_fields = customized
        service.save()
    lines = [f"{service.catalog_code}.{name}" for name in diff]

    requirements = {r.code: r for r in service.requirements.all()}
    wanted_reqs = item.get("requirements", {})
    base_reqs = _base_of(base_item, "requirements")
    for req_code, values in wanted_reqs.items():
        req = requirements.get(req_code)
        was_given = base_reqs is not MISSING and req_code in base_reqs
        if req is None:
            if was_given:
                continue  # the kecamatan removed it after the last template: its choice stays
            ServiceRequirement.objects.create(service=service, code=req_code, **values)
            diff[f"requirement {req_code}"] = {"from": None, "to": values.get("name", req_code)}
            lines.append(f"{service.catalog_code}.requirements.{req_code}: added")
            continue
        changed = False
        for name, value in values.items():
            before = base_reqs[req_code].get(name, MISSING) if was_given else MISSING
            current = getattr(req, name)
            chosen = take(current, value, before)
            if chosen != current:
                setattr(req, name, chosen)
                changed = True
        if changed:
            req.save()
            lines.append(f"{service.catalog_code}.requirements.{req_code}: changed")
    for req_code, req in requirements.items():
        if req_code in wanted_reqs:
            continue
        if base_reqs is MISSING:
            remove = True  # first template: the list becomes the template's
        else:
            given = base_reqs.get(req_code)
            remove = given is not None and all(getattr(req, k) == v for k, v in given.items())
        if remove:
            diff[f"requirement {req_code}"] = {"from": req.name, "to": None}
            req.delete()
            lines.append(f"{service.catalog_code}.requirements.{req_code}: removed")
    if diff or lines:
        _event(service, actor, label, diff)
    return lines


def _labels() -> dict:
    labels = {name: KecamatanService._meta.get_field(name).verbose_name for name in SERVICE_KEYS}
    labels["requirements"] = _("persyaratan")
    labels.update({name: ServiceRequirement._meta.get_field(name).verbose_name for name in REQUIREMENT_FIELDS})
    return labels


SERVICES_SECTION = Section(
    name="services",
    label=_("Layanan"),
    fields=ITEM_FIELDS,
    nested={"requirements": REQUIREMENT_KEYS},
    export=services_export,
    apply=services_apply,
    field_labels=_labels(),
    diff_ignore=frozenset({"customized_fields"}),
    order=10,
)
