"""Regency templates: a model kecamatan publishes its configuration; new kecamatan start from it.

A snapshot is assembled from the sections the apps register in `tenants.blueprints` (services,
letter templates, office hours); each section exports only the fields of its allow-list, and
`check_allowed` refuses anything else, so staff, citizens, applications and keys never enter.
A published version is immutable; applying it copies its data into another kecamatan's schema
(the kecamatan's own rows: later changes in the source do not reach it).

Writes: `template_source_set`, `template_publish`, `template_version_apply`.
Reads: `template_version_default`, `template_versions`, `template_version_diff`,
`configuration_current`, `template_application_last`.
"""

from __future__ import annotations

import difflib
import json
import logging
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _
from django_tenants.utils import tenant_context

from tenants.blueprints import check_allowed, section_get, sections
from tenants.models import Kecamatan
from tenants.regency_data import FIRST_TENANT_CODE

from .models import RegencyTemplate, RegencyTemplateVersion, TemplateApplication, TemplateSource

log = logging.getLogger(__name__)
SNAPSHOT_FORMAT = 1


class PublishRefused(ValidationError):
    """This kecamatan may not publish (not marked as a model by Diskominfo, or not active)."""


# ------------------------------------------------------------------ who may publish
def template_source_marked(kecamatan: Kecamatan) -> bool:
    return TemplateSource.objects.filter(kecamatan_code=kecamatan.code, enabled=True).exists()


def may_publish(kecamatan: Kecamatan) -> bool:
    """An active kecamatan Diskominfo marked as a model (Jetis, by the regency load)."""
    return kecamatan.is_active and template_source_marked(kecamatan)


def template_source_set(*, kecamatan_code: str, enabled: bool, actor: str) -> TemplateSource:
    """Diskominfo marks (or unmarks) a kecamatan as a model whose admin may publish templates."""
    source, _created = TemplateSource.objects.update_or_create(
        kecamatan_code=kecamatan_code, defaults={"enabled": enabled, "changed_by": actor}
    )
    return source


def template_source_default() -> bool:
    """Mark Jetis as a model once (a regency load step); Diskominfo's later choice is kept."""
    _source, created = TemplateSource.objects.get_or_create(
        kecamatan_code=FIRST_TENANT_CODE, defaults={"enabled": True, "changed_by": "load_regency"}
    )
    return created


# ------------------------------------------------------------------ snapshot
def _export(kecamatan: Kecamatan) -> dict:
    """{section: data} of the kecamatan's configuration now (a read), each checked against its allow-list."""
    data = {}
    with tenant_context(kecamatan):
        for section in sections():
            exported = section.export(kecamatan)
            check_allowed(section, exported)
            data[section.name] = exported
    return data


def configuration_current(*, kecamatan: Kecamatan) -> dict:
    """The snapshot publishing would store now: {"format": 1, "sections": {name: data}}."""
    return {"format": SNAPSHOT_FORMAT, "sections": _export(kecamatan)}


def configuration_summary(snapshot: dict) -> list[dict]:
    """What a person reads about a snapshot: per section, how many items (services: how many enabled)."""
    rows = []
    for name, data in snapshot.get("sections", {}).items():
        section = section_get(name)
        row = {"name": name, "label": section.label if section else name, "items": len(data)}
        if name == "services":
            row["enabled"] = sum(1 for item in data.values() if item.get("enabled"))
        rows.append(row)
    return rows


def template_publish(*, kecamatan: Kecamatan, name: str, note: str = "", actor: str) -> RegencyTemplateVersion:
    """Publish the kecamatan's current configuration as the next version of the named template.

    Only a model kecamatan (`may_publish`) may; a template name belongs to the kecamatan that
    first published it. The version number grows by one per template (the template row is
    locked, so two admins publishing at once get two numbers).
    """
    name = " ".join(name.split())
    if not may_publish(kecamatan):
        raise PublishRefused(
            _(
                "Kecamatan %(name)s belum ditetapkan Diskominfo sebagai kecamatan model, jadi belum dapat "
                "menerbitkan templat kabupaten. Hubungi Diskominfo."
            )
            % {"name": kecamatan.name}
        )
    if not name or len(name) > 100:
        raise ValidationError(_("Tulis nama templat (paling panjang 100 karakter), contoh “Templat Jetis”."))
    snapshot = configuration_current(kecamatan=kecamatan)
    with transaction.atomic():
        template, _created = RegencyTemplate.objects.select_for_update().get_or_create(
            name=name, defaults={"source": kecamatan}
        )
        if template.source_id != kecamatan.pk:
            raise ValidationError(
                _("Nama templat “%(name)s” sudah dipakai kecamatan lain. Pilih nama lain.") % {"name": name}
            )
        number = (template.versions.aggregate(n=Max("number"))["n"] or 0) + 1
        version = RegencyTemplateVersion.objects.create(
            template=template, number=number, snapshot=snapshot, note=note.strip()[:300], published_by=actor
        )
    return version


# ------------------------------------------------------------------ apply
@dataclass
class ApplyResult:
    version: RegencyTemplateVersion
    changes: dict[str, list[str]] = field(default_factory=dict)

    @property
    def changed(self) -> bool:
        return any(self.changes.values())


def template_application_last(*, kecamatan: Kecamatan) -> TemplateApplication | None:
    """The last template version applied to the kecamatan (None: its configuration came from the catalog)."""
    return TemplateApplication.objects.filter(kecamatan=kecamatan).select_related("version__template").first()


def template_applied_section(*, schema_name: str, name: str) -> dict:
    """The data the last template applied to the kecamatan (by schema) gave one section ({} if none)."""
    last = (
        TemplateApplication.objects.filter(kecamatan__schema_name=schema_name)
        .select_related("version")
        .only("version__snapshot")
        .first()
    )
    return last.version.snapshot["sections"].get(name, {}) if last else {}


def template_version_apply(*, kecamatan: Kecamatan, version: RegencyTemplateVersion, actor: str) -> ApplyResult:
    """Make the kecamatan's configuration equal to the version's, in one transaction; idempotent.

    The first template a kecamatan receives replaces what it had (the catalog's copy). Applied
    again (the same or a newer version), a value the kecamatan changed since the previous
    template is kept: provisioning again repairs what is missing, never duplicates, never undoes
    the kecamatan's own edits. The rows are copies: later changes in the source do not reach
    it. A template is never applied to its own source. Recorded as a TemplateApplication.
    """
    if version.template.source_id == kecamatan.pk:
        raise ValueError("a template is not applied to the kecamatan it was published from")
    previous = template_application_last(kecamatan=kecamatan)
    base = previous.version.snapshot["sections"] if previous else None
    label = f"{version.template.name} v{version.number}"
    result = ApplyResult(version=version)
    with transaction.atomic():
        with tenant_context(kecamatan):
            for section in sections():
                data = version.snapshot["sections"].get(section.name)
                if data is None:
                    continue  # a section added after this version was published
                check_allowed(section, data)
                section_base = None if base is None else base.get(section.name, {})
                result.changes[section.name] = section.apply(kecamatan, data, section_base, actor, label)
        TemplateApplication.objects.create(kecamatan=kecamatan, version=version, actor=actor, changes=result.changes)
    log.info("template %s applied to %s: %s", label, kecamatan.schema_name, result.changes)
    return result


def template_version_default() -> RegencyTemplateVersion | None:
    """The latest version published from Jetis (the regency's model), or None if none yet."""
    return (
        RegencyTemplateVersion.objects.filter(template__source__code=FIRST_TENANT_CODE)
        .select_related("template")
        .order_by("-published_at", "-pk")
        .first()
    )


def configuration_copy(
    *, kecamatan: Kecamatan, actor: str, template_version: RegencyTemplateVersion | None = None, created: bool
) -> str:
    """The provisioning step "configuration copy" (runs before the catalog's services step).

    With a version: applies it. Without: a kecamatan that received a template gets the same
    version again (a repair); a new one gets Jetis's latest; if Jetis never published, or the
    kecamatan existed before templates, nothing is applied and its services come from the
    repository catalog, as the returned text says.
    """
    version = template_version
    if version is None:
        previous = template_application_last(kecamatan=kecamatan)
        if previous is not None:
            version = previous.version
        elif created:
            version = template_version_default()
    if version is None or version.template.source_id == kecamatan.pk:
        text = f"{kecamatan.schema_name}: no regency template applied; services come from the repository catalog"
        if created:  # said once, when it matters: an existing kecamatan is not reconfigured by a deploy
            log.info(text)
        return text
    result = template_version_apply(kecamatan=kecamatan, version=version, actor=actor)
    return f"{kecamatan.schema_name}: configuration from {version}" + (" (repaired)" if result.changed else "")


# ------------------------------------------------------------------ reads
def template_versions(*, source: Kecamatan | None = None):
    qs = RegencyTemplateVersion.objects.select_related("template__source").order_by("template__name", "-number")
    return qs.filter(template__source=source) if source is not None else qs


def template_versions_listed(*, source: Kecamatan | None = None) -> list[RegencyTemplateVersion]:
    """Versions newest first per template, each with `previous_pk` (the version before it, to compare)."""
    versions = list(template_versions(source=source))
    by_number = {(v.template_id, v.number): v.pk for v in versions}
    for v in versions:
        v.previous_pk = by_number.get((v.template_id, v.number - 1))
    return versions


def _flatten(value: Any, prefix: tuple[str, ...] = ()) -> dict[tuple[str, ...], Any]:
    """Nested mappings to {(key, key, ...): leaf}; lists stay leaves (a form's fields read as one value)."""
    if isinstance(value, dict) and value:
        flat = {}
        for key, sub in value.items():
            flat.update(_flatten(sub, (*prefix, str(key))))
        return flat
    return {prefix: value}


def _readable(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, bool):
        return _("ya") if value else _("tidak")
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False, indent=1)
    return str(value)


def _line_diff(old: str, new: str) -> list[str]:
    """The changed lines of a long text (a letter's HTML), not the whole of both versions."""
    return [
        line
        for line in difflib.unified_diff(old.splitlines(), new.splitlines(), lineterm="", n=0)
        if not line.startswith(("---", "+++", "@@"))
    ]


def template_version_diff(older: RegencyTemplateVersion, newer: RegencyTemplateVersion) -> list[dict]:
    """Per section: items added, removed and changed (each changed field with its old and new value)."""
    old_sections, new_sections = older.snapshot["sections"], newer.snapshot["sections"]
    result = []
    for name in sorted(set(old_sections) | set(new_sections), key=lambda n: _section_order(n)):
        section = section_get(name)
        labels = section.field_labels if section else {}
        ignore = section.diff_ignore if section else frozenset()
        old, new = old_sections.get(name, {}), new_sections.get(name, {})
        changed = []
        for key in [k for k in new if k in old]:
            flat_old, flat_new = _flatten(old[key]), _flatten(new[key])
            fields = []
            for path in sorted(set(flat_old) | set(flat_new)):
                before, after = flat_old.get(path), flat_new.get(path)
                if before == after or path[0] in ignore:
                    continue
                label = " › ".join(str(labels.get(part, part)) for part in path)
                long_text = isinstance(before, str) and isinstance(after, str) and ("\n" in before + after)
                fields.append(
                    {
                        "label": label,
                        "old": _readable(before),
                        "new": _readable(after),
                        "lines": _line_diff(before, after) if long_text else [],
                    }
                )
            if fields:
                changed.append({"key": key, "name": _item_name(new[key], key), "fields": fields})
        result.append(
            {
                "name": name,
                "label": section.label if section else name,
                "added": [_item_name(new[k], k) for k in new if k not in old],
                "removed": [_item_name(old[k], k) for k in old if k not in new],
                "changed": changed,
            }
        )
    return result


def _section_order(name: str) -> tuple[int, str]:
    section = section_get(name)
    return (section.order if section else 1000, name)


def _item_name(item: dict, key: str) -> str:
    return str(item.get("name") or item.get("title") or key)
