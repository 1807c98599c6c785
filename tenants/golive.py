"""The go-live checklist: what a kecamatan must have before Diskominfo may switch it to active.

The items live in several apps (office profile here, officials and staff in accounts, services
in services_catalog, letterhead and signer in letters, the trial run in applications), and
`tenants` imports none of them: each app registers its items from its `AppConfig.ready()`:

    register_check(Check(name="staff", label=_("..."), evaluate=fn, fix_url_name="staff:..."))

`evaluate(kecamatan)` runs inside the kecamatan's schema and returns `(done, detail)`: `detail`
says what is there or what is missing, for a person. `fix_url_name` is a URL name of the
kecamatan's site (its back office), where the item is fixed.

`checklist(kecamatan)` is the one answer to "may this kecamatan go live"; `kecamatan_set_status`
refuses ACTIVE with `GoLiveIncomplete` unless every item is done (docs/onboarding.md).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django_tenants.utils import tenant_context


@dataclass(frozen=True)
class Check:
    name: str  # stable identifier, e.g. "profile"
    label: str  # what a person reads in the checklist
    evaluate: Callable  # evaluate(kecamatan) -> tuple[bool, str], inside the kecamatan's schema
    fix_url_name: str  # URL name on the kecamatan's host, e.g. "staff:office-profile"
    order: int = 100


@dataclass(frozen=True)
class CheckState:
    check: Check
    done: bool
    detail: str


class GoLiveIncomplete(ValueError):
    """Some checklist items are not done; `missing` lists them (CheckState)."""

    def __init__(self, missing: list[CheckState]):
        self.missing = missing
        super().__init__(", ".join(str(state.check.label) for state in missing))


_checks: dict[str, Check] = {}


def register_check(check: Check) -> None:
    _checks[check.name] = check


def checks() -> list[Check]:
    return sorted(_checks.values(), key=lambda c: (c.order, c.name))


def checklist(kecamatan) -> list[CheckState]:
    """Every item's state for `kecamatan`, in order (enters and leaves its schema)."""
    states = []
    with tenant_context(kecamatan):
        for check in checks():
            done, detail = check.evaluate(kecamatan)
            states.append(CheckState(check=check, done=bool(done), detail=str(detail)))
    return states


def missing_items(kecamatan) -> list[CheckState]:
    return [state for state in checklist(kecamatan) if not state.done]


# ------------------------------------------------------------------ tenants' own item
PROFILE_REQUIRED = ("address", "phone", "whatsapp", "office_hours")


def profile_evaluate(kecamatan) -> tuple[bool, str]:
    from django.utils.translation import gettext as _

    from .models import Kecamatan

    fields = {f.name: f for f in Kecamatan._meta.fields}
    empty = [str(fields[name].verbose_name) for name in PROFILE_REQUIRED if not getattr(kecamatan, name).strip()]
    if empty:
        return False, _("Belum diisi: %(fields)s.") % {"fields": ", ".join(empty)}
    return True, _("Alamat, telepon, WhatsApp dan jam layanan sudah diisi.")
