"""The back office as a list of routes, and one kecamatan's worth of objects for their parameters."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from types import SimpleNamespace

import pytest
from django.db import connection
from django.urls import URLPattern, URLResolver, get_resolver
from django_tenants.utils import tenant_context

from sipentol.accounts.alerts import alert_unsubscribe_token
from sipentol.accounts.invitations import invitation_create
from sipentol.accounts.models import AlertType, Role
from sipentol.accounts.permissions import DESA_ROLES
from sipentol.feedback.models import SkmFollowUp, SurveyResponse
from sipentol.feedback.skm import UNSUR_FIELDS
from tests.accounts.staff import sign_in
from tests.factories import ApplicationFactory, ComplaintFactory, LetterFactory, PrivacyRequestFactory, StaffFactory

# Sign-in pages: open to whoever is signing in, so they name no capability. The alerts' unsubscribe
# link is opened without signing in (its signed token names the staff member).
SIGN_IN_PAGES = {
    "login",
    "otp",
    "reauth",
    "backup-codes",
    "logout",
    "password-change",
    "invitation",
    "alerts-unsubscribe",
}
PARAMETER = re.compile(r"<(?:\w+:)?(\w+)>")
DESA = "35.16.16.2013"  # the application's desa (Desa Jetis)
OTHER_DESA = "35.16.16.2001"


@dataclass(frozen=True)
class Route:
    name: str
    route: str  # as written in the URLconf, below /kantor/
    view: Callable

    @property
    def capability(self):
        return getattr(self.view, "capability", None)

    @property
    def write_capability(self):
        return getattr(self.view, "write_capability", None)

    @property
    def section(self) -> str:
        return self.route.split("/", 1)[0]

    def url(self, params: dict[str, dict]) -> str:
        """The URL with every parameter filled from `params[section]` (a KeyError names what is missing)."""
        return "/kantor/" + PARAMETER.sub(lambda m: str(params[self.section][m.group(1)]), self.route)


def backoffice_routes() -> list[Route]:
    """Every page the back-office router assembles, read from the router itself."""

    def walk(patterns, prefix: str = ""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern))
            else:
                assert isinstance(pattern, URLPattern)
                yield Route(pattern.name, prefix + str(pattern.pattern), pattern.callback)

    return list(walk(get_resolver("sipentol.backoffice.urls").url_patterns))


@pytest.fixture
def office(jetis):
    """Jetis with one of each object a back-office URL points at: a submitted application (desa
    Jetis) with its files, a signed letter on it, a complaint, a privacy request, a staff member, the
    domisili service.

    The letter hangs on the submitted application so that every route has an object to name;
    the lifecycle is not what these tests are about.
    """
    with tenant_context(jetis):
        application = ApplicationFactory(desa_code=DESA)
        document = application.documents.first()
        letter = LetterFactory(application=application)
        complaint = ComplaintFactory(tracking_code=application.tracking_code, application=application)
        member = StaffFactory(role=Role.VERIFIER)
        _invitation, invitation_token = invitation_create(
            full_name="Calon Petugas", role=Role.VERIFIER, invited_by="diskominfo", email="calon@example.go.id"
        )
        privacy_request = PrivacyRequestFactory(application=application)
        pengantar, desa_token = _pengantar_objects(application)
        service = application.service
        survey = SurveyResponse.objects.create(
            application=application, service=service, **dict.fromkeys(UNSUR_FIELDS, 2)
        )
        follow_up = SkmFollowUp.objects.create(response=survey, low_unsur="U1")
        params = {
            "permohonan": {"pk": application.pk, "doc_pk": document.pk},
            "surat": {"letter_uuid": letter.uuid},
            "templat-surat": {"slug": service.slug},
            "ajukan": {"slug": service.slug},
            "pengaduan": {"pk": complaint.pk},
            "layanan": {
                "slug": service.slug,
                "pk": service.requirements.first().pk,
                "name": service.form_fields[0]["name"],
            },
            "petugas": {"pk": member.pk},
            "undangan": {"token": invitation_token},
            "privasi": {"pk": privacy_request.pk},
            "skm": {"pk": follow_up.pk},
            "panduan": {"role": Role.CAMAT},
            # a staff alert's unsubscribe link (its page changes nothing until the button is pressed)
            "pemberitahuan": {"token": alert_unsubscribe_token(user=member, alert_type=AlertType.NEW_APPLICATION)},
            # A dashboard table's download, and an export job (someone else's: see _not_theirs).
            "dasbor": {"key": "layanan", "fmt": "xlsx", "pk": uuid.uuid4()},
            "desa": {"pk": pengantar.pk},
            "token-api-desa": {"pk": desa_token.pk},
        }
    connection.set_schema_to_public()
    return SimpleNamespace(kecamatan=jetis, application=application, letter=letter, params=params)


def _pengantar_objects(application):
    """A desa's pengantar request (with a stored draft PDF) on the application, and a desa API token."""
    import io

    from sipentol.desa.models import DesaApiToken, PengantarRequest
    from sipentol.lib import storage

    pdf = b"%PDF-1.4\n%%EOF\n"
    pengantar = PengantarRequest.objects.create(
        application=application,
        desa_code=DESA,
        tracking_code=application.tracking_code,
        service_name=application.service.name,
        applicant_name=application.applicant_name,
        applicant_nik=application.applicant_nik,
        due_date=application.created_at.date(),
        pdf_key=storage.put(io.BytesIO(pdf), content_type="application/pdf", length=len(pdf)),
    )
    token = DesaApiToken.objects.create(desa_code=DESA, name="OpenSID", prefix="sdesa_uji", token_hash="0" * 64)
    return pengantar, token


def signed_in(kecamatan, role: str, desa_code: str = ""):
    """A staff member of `role` made with the factory, signed in (password + TOTP) on their host."""
    with tenant_context(kecamatan):
        user = StaffFactory(role=role, desa_code=desa_code if role in DESA_ROLES else "")
    connection.set_schema_to_public()
    return sign_in(kecamatan, user.username)


def read(response):
    """Drain a streamed file so that its storage connection is released."""
    if response.streaming:
        b"".join(response.streaming_content)
    return response
