"""services_catalog's item of the go-live checklist (tenants.golive): a service enabled and reviewed.

"Reviewed" has no flag of its own: a service counts once someone of the kecamatan has saved it
(an edit, a requirement or form field change, enabling it) after provisioning copied it from
the catalog, i.e. it has a ServiceChangeEvent other than the provisioning's own.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tenants.golive import Check

from .models import KecamatanService, ServiceChangeEvent

PROVISIONING_ACTIONS = ("init", "catalog_update")


def services_evaluate(kecamatan) -> tuple[bool, str]:
    reviewed = ServiceChangeEvent.objects.exclude(action__in=PROVISIONING_ACTIONS).values("service_id")
    enabled = KecamatanService.objects.filter(enabled=True)
    count = enabled.filter(pk__in=reviewed).count()
    if count == 0:
        return False, _(
            "Belum ada layanan aktif yang diperiksa admin: buka satu layanan, periksa persyaratan, isian "
            "dan SLA-nya, lalu simpan."
        )
    return True, _("%(count)d layanan aktif sudah diperiksa dan disimpan admin.") % {"count": count}


CHECK = Check(
    name="services",
    label=gettext_lazy("Minimal satu layanan aktif dan sudah diperiksa"),
    evaluate=services_evaluate,
    fix_url_name="staff:service-list",
    order=30,
)
