"""applications' item of the go-live checklist (tenants.golive): one trial run to a signed letter."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tenants.golive import Check

from . import lifecycle
from .models import Application


def trial_evaluate(kecamatan) -> tuple[bool, str]:
    trials = Application.objects.filter(is_trial=True)
    issued = trials.filter(status__in=lifecycle.ISSUED).count()
    if issued:
        return True, _("%(count)d permohonan uji coba sampai surat bertanda tangan.") % {"count": issued}
    return False, _(
        "Belum ada permohonan uji coba yang sampai surat bertanda tangan (%(count)d uji coba berjalan). "
        "Ajukan lewat mode pendampingan, periksa, buat surat, lalu minta Camat menandatanganinya."
    ) % {"count": trials.count()}


CHECK = Check(
    name="trial",
    label=gettext_lazy("Satu permohonan uji coba sampai surat bertanda tangan"),
    evaluate=trial_evaluate,
    fix_url_name="staff:assisted-services",
    order=70,
)
