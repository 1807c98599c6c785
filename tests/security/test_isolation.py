"""Isolation by the thousands: randomized cross-tenant attempts (hypothesis) with 0 successes.

Three kecamatan each hold a staff member, an application with its files, a signed letter, a
secret link and a cache entry, every one carrying a marker unique to its kecamatan. Attacks
come from one kecamatan at another's data: a staff session replayed on the other host, the
other's ids on one's own host, the other's tracking codes and secret links, object keys, cache
keys and task arguments. An attempt succeeds if it answers 200 or shows the other's marker, or
if an adapter hands over the other's object. Within one kecamatan, a citizen holding one
application's link never reaches another's. (Each role against the permission table:
tests/backoffice/test_permissions.py.)

The HTTP attempts go through the real middleware and routing with Django's test client; the
adapter attempts call storage, cache and task code directly, which is where a leaked key or
id would be used. Together they make more than 10,000 attempts per run.
"""

from __future__ import annotations

import secrets
import uuid
from dataclasses import dataclass, field

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django_tenants.utils import tenant_context
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sipentol.accounts.models import Role
from sipentol.applications import selectors as app_selectors
from sipentol.applications.models import Status, hash_secret
from sipentol.lib import storage
from tenants.models import Kecamatan
from tests.accounts.staff import sign_in
from tests.conftest import make_live
from tests.factories import ApplicationFactory, LetterFactory, StaffFactory

SLUGS = ("jetis", "mojosari", "trowulan")


def quiet(examples: int):
    """Hypothesis settings for these tests: deterministic, no deadline, no example database."""
    return settings(
        max_examples=examples, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck), database=None
    )


# Noise an attacker adds to a request: a query string the view must ignore.
NOISE = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789-_", min_size=1, max_size=12)


@dataclass
class Tenant:
    kecamatan: Kecamatan
    marker: str
    staff: object = None
    client: Client = None
    application: object = None
    document: object = None
    letter: object = None
    secret: str = ""
    keys: list[str] = field(default_factory=list)

    @property
    def host(self) -> str:
        return f"{self.kecamatan.slug}.localhost"


@pytest.fixture
def tenants(db) -> dict[str, Tenant]:
    made = {}
    for slug in SLUGS:
        connection.set_schema_to_public()
        kecamatan = Kecamatan.objects.get(slug=slug)
        if kecamatan.status != Kecamatan.Status.ACTIVE:
            make_live(kecamatan)
        tenant = Tenant(kecamatan=kecamatan, marker=f"Rahasia{slug.title()}{secrets.token_hex(3)}")
        tenant.secret = secrets.token_urlsafe(16)
        with tenant_context(kecamatan):
            tenant.staff = StaffFactory(username=f"admin-{slug}", role=Role.ADMIN)
            tenant.application = ApplicationFactory(
                status=Status.ISSUED, applicant_name=tenant.marker, secret_hash=hash_secret(tenant.secret)
            )
            tenant.document = tenant.application.documents.first()
            tenant.letter = LetterFactory(application=tenant.application, holder_name=tenant.marker)
            tenant.keys = [tenant.document.key, tenant.letter.signed_pdf_key]
            cache.set(f"isolation:{slug}", tenant.marker)
        connection.set_schema_to_public()
        tenant.client = sign_in(kecamatan, tenant.staff.username)
        made[slug] = tenant
    return made


def _pairs():
    return st.tuples(st.sampled_from(SLUGS), st.sampled_from(SLUGS)).filter(lambda p: p[0] != p[1])


def _leaked(response, victim: Tenant) -> bool:
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return response.status_code == 200 or victim.marker.encode() in body


STAFF_PATHS = (
    "/kantor/permohonan/{app}/",
    "/kantor/permohonan/{app}/berkas/{doc}/",
    "/kantor/permohonan/{app}/cetak.pdf",
    "/kantor/permohonan/{app}/surat.pdf",
    "/kantor/surat/{letter}/pdf/",
    "/api/v1/kantor/permohonan/{app}/",
)
CITIZEN_PATHS = (
    "/permohonan/{public}/?t={secret}",
    "/permohonan/{public}/surat.pdf",
    "/api/v1/permohonan/{public}/?t={secret}",
    "/api/v1/lacak/{code}/",
    "/verifikasi/{letter}/",
)


def _fill(path: str, victim: Tenant, *, jitter: int) -> str:
    return path.format(
        app=victim.application.pk + jitter,
        doc=victim.document.pk + jitter,
        letter=victim.letter.uuid if jitter == 0 else uuid.uuid4(),
        public=victim.application.public_id,
        secret=victim.secret,
        code=victim.application.tracking_code,
    )


def test_it_refuses_every_staff_session_replayed_on_another_kecamatans_host(tenants):
    attempts = []

    @quiet(600)
    @given(
        pair=_pairs(), path=st.sampled_from(STAFF_PATHS), jitter=st.sampled_from([0, 0, 0, 1, -1, 1000]), noise=NOISE
    )
    def attack(pair, path, jitter, noise):
        attacker, victim = tenants[pair[0]], tenants[pair[1]]
        response = attacker.client.get(_fill(path, victim, jitter=jitter), {"q": noise}, HTTP_HOST=victim.host)
        attempts.append(response.status_code)
        assert not _leaked(response, victim), (pair, path, response.status_code)

    attack()
    assert len(attempts) >= 600 and 200 not in attempts


def test_it_never_shows_another_kecamatans_records_for_its_ids_on_ones_own_host(tenants):
    attempts = []

    @quiet(600)
    @given(pair=_pairs(), path=st.sampled_from(STAFF_PATHS), jitter=st.integers(-5, 5), noise=NOISE)
    def attack(pair, path, jitter, noise):
        attacker, victim = tenants[pair[0]], tenants[pair[1]]
        response = attacker.client.get(_fill(path, victim, jitter=jitter), {"q": noise}, HTTP_HOST=attacker.host)
        attempts.append(response.status_code)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        assert victim.marker.encode() not in body, (pair, path)

    attack()
    assert len(attempts) >= 600


def test_it_refuses_another_kecamatans_tracking_codes_and_secret_links(tenants):
    attempts = []

    @quiet(600)
    @given(pair=_pairs(), path=st.sampled_from(CITIZEN_PATHS), noise=NOISE)
    def attack(pair, path, noise):
        attacker, victim = tenants[pair[0]], tenants[pair[1]]
        url = _fill(path, victim, jitter=0)
        response = Client(HTTP_HOST=attacker.host).get(url + ("&" if "?" in url else "?") + f"x={noise}")
        attempts.append(response.status_code)
        assert response.status_code in (302, 404) and not _leaked(response, victim), (pair, path)

    attack()
    assert len(attempts) >= 600


def test_it_keeps_one_citizens_application_from_another_in_the_same_kecamatan(tenants):
    attempts = []
    jetis = tenants["jetis"]
    with tenant_context(jetis.kecamatan):
        other_secret = secrets.token_urlsafe(16)
        other = ApplicationFactory(
            status=Status.SUBMITTED, applicant_name="TetanggaRahasia", secret_hash=hash_secret(other_secret)
        )
    connection.set_schema_to_public()
    citizen = Client(HTTP_HOST=jetis.host)
    assert citizen.get(f"/permohonan/{other.public_id}/?t={other_secret}").status_code == 302  # own link

    @quiet(300)
    @given(path=st.sampled_from(CITIZEN_PATHS[:3]), token=st.one_of(st.just(other_secret), st.text(max_size=30)))
    def attack(path, token):
        response = citizen.get(path.format(public=jetis.application.public_id, secret=token, code="", letter=""))
        attempts.append(response.status_code)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        assert jetis.marker.encode() not in body and response.status_code in (302, 400, 404), (path, token)

    attack()
    assert len(attempts) >= 300


def test_it_hands_over_no_object_cache_entry_or_record_across_kecamatan(tenants):
    attempts = []

    @quiet(2000)
    @given(pair=_pairs(), which=st.integers(0, 1), pk_jitter=st.integers(-50, 50), guess=st.uuids())
    def attack(pair, which, pk_jitter, guess):
        attacker, victim = tenants[pair[0]], tenants[pair[1]]
        with tenant_context(attacker.kecamatan):
            # an object key of the other kecamatan, known or guessed under its prefix
            for key in (victim.keys[which], f"{victim.kecamatan.schema_name}/{guess.hex}"):
                with pytest.raises(storage.ForeignKeyError):
                    storage.get(key)
            # its cache key: the same name reads this kecamatan's own value, never the other's
            assert cache.get(f"isolation:{victim.kecamatan.slug}") != victim.marker
            # its record ids, as a task or a staff lookup would use them
            found = app_selectors.staff_applications(attacker.staff).filter(pk=victim.application.pk + pk_jitter)
            assert all(a.applicant_name != victim.marker for a in found)
        attempts.append(4)

    attack()
    connection.set_schema_to_public()
    assert sum(attempts) >= 8000
