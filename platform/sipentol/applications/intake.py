"""Whether this kecamatan takes a new submission now, by which way in: the one home of that rule.

| kecamatan  | citizen form, kiosk, API | assisted mode (staff)        | completion of an application |
|------------|--------------------------|------------------------------|------------------------------|
| active     | yes                      | yes                          | yes                          |
| onboarding | no                       | yes, as a trial application  | only of a trial application  |
| suspended  | no                       | no                           | no                           |

A suspended kecamatan's host already answers 503 before any view (tenants routing); the rule
holds here too, so that a service called from anywhere refuses. The status is read from the
database, not from the routing cache, at the moment of the write.

Every way in asks `intake_decide` (views, to show the refusal page before a form is filled)
and `application_save` / `application_complete` ask it again (the write itself).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from django.db import connection

from sipentol.accounts.permissions import Capability, can
from tenants.models import Kecamatan


class Channel(StrEnum):
    ONLINE = "online"  # the citizen's form (and a saved draft)
    API = "api"
    KIOSK = "kiosk"
    ASSISTED = "assisted"  # staff or operator desa on the citizen's behalf
    COMPLETION = "completion"  # the citizen sends what staff asked for


@dataclass(frozen=True)
class Intake:
    open: bool
    trial: bool = False
    status: str = ""


def _current_status(kecamatan) -> str:
    status = Kecamatan.objects.filter(pk=kecamatan.pk).values_list("status", flat=True).first()
    return status or Kecamatan.Status.SUSPENDED


def intake_decide(*, channel: str, actor=None, application=None, kecamatan=None) -> Intake:
    """May this submission (or completion of `application`) be accepted now, and is it a trial?"""
    kecamatan = kecamatan or connection.tenant
    status = _current_status(kecamatan)
    if status == Kecamatan.Status.ACTIVE:
        return Intake(open=True, status=status)
    if status == Kecamatan.Status.ONBOARDING:
        if channel == Channel.ASSISTED and can(actor, Capability.APPLY_ON_BEHALF):
            return Intake(open=True, trial=True, status=status)
        if channel == Channel.COMPLETION and application is not None and application.is_trial:
            return Intake(open=True, trial=True, status=status)
    return Intake(open=False, status=status)


def closed_message(kecamatan, status: str) -> str:
    """Why nothing can be submitted now, and when it opens: in the active language."""
    from django.utils.formats import date_format
    from django.utils.translation import gettext as _

    if status == Kecamatan.Status.ONBOARDING:
        first = _("Layanan online Kecamatan %(name)s belum dibuka, jadi permohonan belum dapat diajukan.")
    else:
        first = _("Layanan online Kecamatan %(name)s sedang dihentikan sementara, jadi permohonan baru tidak diterima.")
    if kecamatan.opens_on:
        when = _("Layanan direncanakan dibuka pada %(date)s.") % {"date": date_format(kecamatan.opens_on, "j F Y")}
    else:
        when = _("Tanggal buka layanan akan diumumkan oleh kantor kecamatan.")
    ask = _("Untuk keperluan mendesak, hubungi atau datang ke kantor kecamatan.")
    return " ".join([first % {"name": kecamatan.name}, when, ask])


def office_contacts(kecamatan) -> dict:
    return {
        "address": kecamatan.address,
        "phone": kecamatan.phone,
        "whatsapp": kecamatan.whatsapp,
        "email": kecamatan.email,
        "office_hours": kecamatan.office_hours,
    }
