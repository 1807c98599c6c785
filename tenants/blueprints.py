"""The sections of a kecamatan's configuration that a regency template carries: apps plug them in.

`tenants` imports no tenant app. Each app that owns part of a kecamatan's configuration (its
services, its letter templates, the office hours here) registers a `Section` from its
`AppConfig.ready()`; `services_catalog.blueprints` assembles a snapshot from them (publish)
and applies one to another kecamatan (provisioning, onboarding).

A section's data is `{key: {field: value}}` with a stable key per item (a service's catalog
code, a letter's service slug). Only the fields a section names in `fields` (and, for a
nested `{key: {field: value}}` value, in `nested`) may appear: `check_allowed` refuses
anything else, so staff, citizens, applications and keys cannot ride along by accident.
Both functions run inside the kecamatan's schema (the caller enters it):

- `export(kecamatan) -> dict`: a read, writes nothing;
- `apply(kecamatan, data, base, actor, label) -> list[str]`: makes the kecamatan's configuration
  equal to `data` except where the kecamatan changed a value locally since the last template
  it received (`base`, that template's data for the section, or None when it never received
  one: then every value is taken). Idempotent. Returns a line per change, for the audit.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext_lazy as _

from .models import Kecamatan
from .services import kecamatan_update_profile

MISSING = object()
# A NIK or a KK number is 16 digits: no configuration text has a reason to hold one.
_SIXTEEN_DIGITS = re.compile(r"(?<!\d)\d{16}(?!\d)")


@dataclass(frozen=True)
class Section:
    name: str  # stable identifier, e.g. "services"
    label: str  # what a person reads, e.g. "Layanan"
    fields: frozenset[str]
    export: Callable[..., dict]
    apply: Callable[..., list[str]]
    nested: dict[str, frozenset[str]] = field(default_factory=dict)
    field_labels: dict[str, Any] = field(default_factory=dict)
    # Bookkeeping carried for apply() but not a choice a person reads in a diff.
    diff_ignore: frozenset[str] = frozenset()
    order: int = 100


_sections: dict[str, Section] = {}


def register_section(section: Section) -> None:
    _sections[section.name] = section


def sections() -> list[Section]:
    return sorted(_sections.values(), key=lambda s: (s.order, s.name))


def section_get(name: str) -> Section | None:
    return _sections.get(name)


class NotAllowed(ValueError):
    """Data outside a section's allow-list, or text that looks like personal data."""


def check_allowed(section: Section, data: Any) -> None:
    """Refuse a section's data holding a field outside its allow-list, or a 16-digit number (a NIK, a KK)."""
    if not isinstance(data, dict):
        raise NotAllowed(f"{section.name}: expected a mapping of items")
    for key, item in data.items():
        if not isinstance(item, dict):
            raise NotAllowed(f"{section.name}.{key}: expected a mapping of fields")
        extra = set(item) - section.fields
        if extra:
            raise NotAllowed(f"{section.name}.{key}: fields not allowed {sorted(extra)}")
        for name, allowed in section.nested.items():
            for sub_key, sub in (item.get(name) or {}).items():
                if not isinstance(sub, dict) or set(sub) - allowed:
                    raise NotAllowed(f"{section.name}.{key}.{name}.{sub_key}: fields not allowed")
    found = _SIXTEEN_DIGITS.search(repr(data))
    if found:
        raise NotAllowed(f"{section.name}: holds a 16-digit number (a NIK or KK?)")


def take(current: Any, new: Any, base: Any = MISSING) -> Any:
    """The value to keep: the template's, unless the kecamatan changed it since the last template.

    `base` is the value the last template gave (MISSING when the kecamatan never received a
    template, or that template did not have it): a current value equal to it is not a local edit.
    """
    if base is MISSING or current == base:
        return new
    return current


# ------------------------------------------------------------------ the office's own section
def _office_export(kecamatan) -> dict:
    # Only the office-hours text: address, phone, WhatsApp and e-mail are the kecamatan's own.
    return {"office": {"office_hours": kecamatan.office_hours}}


def _office_apply(kecamatan, data: dict, base: dict | None, actor: str, label: str) -> list[str]:
    new = (data.get("office") or {}).get("office_hours", "")
    base_value = ((base or {}).get("office") or {}).get("office_hours", MISSING) if base is not None else MISSING
    current = Kecamatan.objects.get(pk=kecamatan.pk).office_hours
    wanted = take(current, new, base_value)
    if wanted == current:
        return []
    kecamatan_update_profile(kecamatan=kecamatan, actor=actor, office_hours=wanted)
    kecamatan.office_hours = wanted
    return [f"office_hours: {current!r} -> {wanted!r}"]


OFFICE_SECTION = Section(
    name="office",
    label=_("Jam layanan kantor"),
    fields=frozenset({"office_hours"}),
    export=_office_export,
    apply=_office_apply,
    field_labels={"office_hours": _("jam layanan")},
    order=90,
)
