"""The desa's covering letter (surat pengantar) asked online: the hook applications offers.

applications sits below the app that runs the desa's side (`sipentol.desa`: its queue, template,
numbering, signature, API for OpenSID), so it offers this registry, which that app fills in its
`AppConfig.ready()`. The handler is called inside the transaction that moves an application to
`awaiting_desa` (lifecycle.py) and opens the desa's request there; without a handler the
citizen is not offered the online pengantar at all. The way back in is applications' own
services: `application_pengantar_attach` (the signed pengantar, the kecamatan's SLA starts) and
`application_pengantar_refused` (the draft goes back to the citizen with the desa's reason).
"""

from __future__ import annotations

from collections.abc import Callable

from services_catalog.data.common import PENGANTAR_DESA

# The requirement a desa's covering letter answers (the catalogue's code, in every kecamatan's copy).
PENGANTAR_REQUIREMENT = PENGANTAR_DESA["code"]

Handler = Callable[..., None]
_HANDLERS: list[Handler] = []


def register(handler: Handler) -> Handler:
    if handler not in _HANDLERS:
        _HANDLERS.append(handler)
    return handler


def available() -> bool:
    """May a citizen ask their desa online at all (an app handles the request)?"""
    return bool(_HANDLERS)


def service_takes_online_pengantar(service) -> bool:
    """The service requires the desa's covering letter, and the desa can be asked online."""
    return available() and any(r.code == PENGANTAR_REQUIREMENT for r in service.requirements.all())


def request_opened(application) -> None:
    """Inside the caller's transaction: hand the request to the desa's queue."""
    for handler in _HANDLERS:
        handler(application=application)
