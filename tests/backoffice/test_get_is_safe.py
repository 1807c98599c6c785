"""No back-office page changes anything on GET.

Every GET route of the back-office router is requested by every role, on a kecamatan whose
letter templates were never stored and whose application waits for review (the two states in
which pages used to write on GET: opening an application took it into review, opening the
template list stored the default templates). After each request the kecamatan's rows must be
as before.

Decision: the access-audit events (`Event` kinds detail_viewed, file_viewed, files_printed)
are written on GET and are allowed here. They record that a staff member opened a citizen's
personal data or files (UU 27/2022 on personal data protection asks who accessed what); they
are reads being recorded, not a change of the application's state. Every other `Event`, any
status, assignment or letter change, and any row added to the other tables checked below is a
failure.
"""

from __future__ import annotations

from django.db import connection
from django_tenants.utils import tenant_context

from sipentol.accounts.models import Role
from sipentol.accounts.permissions import DESA_ROLES
from sipentol.applications.models import Application, Event
from sipentol.letters.models import Letter, LetterEvent, LetterTemplate, SigningDelegation

from .conftest import DESA, backoffice_routes, read, signed_in

ACCESS_AUDIT = (Event.Kind.DETAIL_VIEWED, Event.Kind.FILE_VIEWED, Event.Kind.FILES_PRINTED)


def _state(kecamatan) -> dict:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from services_catalog.configured.models import KecamatanService, ServiceChangeEvent
    from sipentol.accounts.models import StaffEvent, StaffProfile
    from sipentol.desa.models import DesaApiEvent, DesaApiToken, DesaProfile, PengantarEvent, PengantarRequest
    from sipentol.feedback.models import Complaint, ComplaintEvent
    from sipentol.notifications.models import OutboxMessage

    with tenant_context(kecamatan):
        state = {
            "events": list(Event.objects.exclude(kind__in=ACCESS_AUDIT).values_list("pk", flat=True)),
            "applications": list(Application.objects.values_list("pk", "status", "assigned_to", "updated_at")),
            "letters": list(Letter.objects.values_list("pk", "status", "number", "updated_at")),
            "letter_events": LetterEvent.objects.count(),
            "letter_templates": list(LetterTemplate.objects.values_list("pk", "updated_at")),
            "delegations": SigningDelegation.objects.count(),
            "services": list(KecamatanService.objects.values_list("pk", "enabled", "updated_at")),
            "service_changes": ServiceChangeEvent.objects.count(),
            "staff": list(StaffProfile.objects.values_list("pk", "role", "must_change_password")),
            "staff_events": StaffEvent.objects.count(),
            "totp_devices": TOTPDevice.objects.count(),
            "complaints": list(Complaint.objects.values_list("pk", "status", "response")),
            "complaint_events": ComplaintEvent.objects.count(),
            "outbox": OutboxMessage.objects.count(),
            "pengantar": list(PengantarRequest.objects.values_list("pk", "status", "pdf_key", "signed_pdf_key")),
            "pengantar_events": PengantarEvent.objects.count(),
            "desa_profiles": DesaProfile.objects.count(),
            "desa_tokens": list(DesaApiToken.objects.values_list("pk", "revoked_at")),
            "desa_api_events": DesaApiEvent.objects.count(),
        }
    connection.set_schema_to_public()
    return state


def test_it_changes_nothing_on_any_get_of_the_back_office(office):
    # given templates never stored, an application waiting for review, and every role signed in
    with tenant_context(office.kecamatan):
        LetterTemplate.objects.all().delete()
    connection.set_schema_to_public()
    clients = {role: signed_in(office.kecamatan, role, DESA if role in DESA_ROLES else "") for role in Role.values}
    before = _state(office.kecamatan)
    assert {status for _pk, status, *_rest in before["applications"]} == {"submitted"}

    # when each of them opens every GET route
    answered = set()
    for role, client in clients.items():
        for route in backoffice_routes():
            url = route.url(office.params)
            response = read(client.get(url))
            # 404: an export job of the Camat's board exists only for whom asked (office.params names none of theirs)
            allowed = (200, 302, 403, 405, 404) if route.name.startswith("dashboard-job") else (200, 302, 403, 405)
            assert response.status_code in allowed, (role, url, response.status_code)
            if response.status_code == 200:
                answered.add(route.name)
            # then nothing changed but the access audit
            assert _state(office.kecamatan) == before, f"GET {url} as {role} changed something"

    with tenant_context(office.kecamatan):
        audited = set(Event.objects.filter(kind__in=ACCESS_AUDIT).values_list("kind", flat=True))
    assert audited == set(ACCESS_AUDIT)  # the reads were recorded
    assert {"detail", "letter-templates", "letter-template", "signing", "print"} <= answered
