"""Before LetterTemplate.classification goes (0003): carry an admin's own code into the service.

Until now a letter's number took the service's code (KecamatanService.letter_classification)
while the letter template page showed the template's, and for five services the two defaults
disagreed. From 0003 on the service's code is the only one. Where a kecamatan admin had edited a
template's code, the admin's code becomes the service's, recorded as a ServiceChangeEvent by
"migrasi"; everywhere else the service's code stands (it is what letters were numbered with).

A template's code counts as the admin's when the template was saved by an admin (updated_by),
the code differs from the service's and from the default the template was created with (saving
only the body keeps that default), and it is a valid code. A service whose code the kecamatan
already customised keeps it.
"""

import re

from django.db import migrations

ACTOR = "migrasi"
ACTION = "letter_template_reconcile"
# The template defaults of letters/catalog.py until this migration, frozen here.
TEMPLATE_DEFAULTS = {
    "waris": "474.3",
    "pindah-keluar": "475",
    "pindah-datang": "475",
    "dispensasi-nikah": "474.2",
    "pengantar-skck": "331",
    "sktm": "401",
    "jampersal": "440",
    "domisili": "470",
    "izin-keramaian": "300",
    "rekomendasi-bbm": "541",
    "legalisir": "045",
    "izin-penggunaan-jalan": "620",
}
CODE_RE = re.compile(r"\d+(\.\d+)*")


def reconcile(apps, schema_editor=None) -> list[str]:
    """Run in the current kecamatan schema; returns the slugs of the services whose code changed."""
    LetterTemplate = apps.get_model("letters", "LetterTemplate")
    KecamatanService = apps.get_model("configured_services", "KecamatanService")
    ServiceChangeEvent = apps.get_model("configured_services", "ServiceChangeEvent")

    services = {s.slug: s for s in KecamatanService.objects.all()}
    changed = []
    for template in LetterTemplate.objects.exclude(updated_by=None).order_by("service_slug"):
        service = services.get(template.service_slug)
        code = template.classification.strip()
        if (
            service is None
            or code in (service.letter_classification, TEMPLATE_DEFAULTS.get(template.service_slug))
            or not CODE_RE.fullmatch(code)
            or "letter_classification" in service.customized_fields
        ):
            continue
        before = service.letter_classification
        service.letter_classification = code
        service.customized_fields = sorted({*service.customized_fields, "letter_classification"})
        service.save(update_fields=["letter_classification", "customized_fields", "updated_at"])
        ServiceChangeEvent.objects.create(
            service=service,
            actor=ACTOR,
            action=ACTION,
            changes={"letter_classification": {"from": before, "to": code}},
        )
        changed.append(service.slug)
    return changed


def _reconcile(apps, schema_editor):
    reconcile(apps, schema_editor)


class Migration(migrations.Migration):
    dependencies = [
        ("letters", "0001_initial"),
        ("configured_services", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(_reconcile, migrations.RunPython.noop),
    ]
