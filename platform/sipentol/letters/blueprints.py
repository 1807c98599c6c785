"""The "letters" section of a regency template: the body and title of each service's letter.

Carried: title, HTML and CSS of every letter template the kecamatan uses (stored ones, and the
shipped default where none is stored yet). Never letters, numbers, signers, certificates or
keys. Runs inside a kecamatan's schema (see tenants/blueprints.py for the contract). The
classification code that starts a letter's number travels with the service (services section).
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from tenants.blueprints import MISSING, Section, take

from .models import LetterTemplate
from .selectors import letter_templates_for_admin

TEMPLATE_FIELDS = ("title", "html", "css")


def letters_export(kecamatan) -> dict:
    # A read: the defaults not stored yet are unsaved instances (opening a page writes nothing).
    return {t.service_slug: {name: getattr(t, name) for name in TEMPLATE_FIELDS} for t in letter_templates_for_admin()}


def letters_apply(kecamatan, data: dict, base: dict | None, actor: str, label: str) -> list[str]:
    lines = []
    with transaction.atomic():
        stored = {t.service_slug: t for t in LetterTemplate.objects.select_for_update()}
        for slug, values in data.items():
            given = (base or {}).get(slug) if base is not None else None
            template = stored.get(slug)
            if template is None:
                LetterTemplate.objects.create(service_slug=slug, **values)
                lines.append(f"{slug}: created")
                continue
            changed = []
            for name in TEMPLATE_FIELDS:
                current = getattr(template, name)
                chosen = take(current, values[name], given.get(name, MISSING) if given else MISSING)
                if chosen != current:
                    setattr(template, name, chosen)
                    changed.append(name)
            if changed:
                template.save(update_fields=[*changed, "updated_at"])
                lines.append(f"{slug}: {', '.join(changed)}")
    return lines


LETTERS_SECTION = Section(
    name="letters",
    label=_("Templat surat"),
    fields=frozenset(TEMPLATE_FIELDS),
    export=letters_export,
    apply=letters_apply,
    field_labels={"title": _("judul surat"), "html": _("isi (HTML)"), "css": _("gaya (CSS)")},
    order=20,
)
