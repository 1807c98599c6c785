"""REST API on a kecamatan's host: public, citizen (secret token) and staff (session + TOTP) endpoints."""

import re
import uuid

from django.core.management import call_command
from django.test import Client
from django_tenants.utils import tenant_context

from sipentol.applications.models import Application
from tests.accounts.staff import PASSWORD, make_staff, staff_client

from .conftest import NIK_MAN, apply_payload


def _submit(client, service, key=None):
    key = key or str(uuid.uuid4())
    payload = apply_payload(service, "")
    payload.pop("idempotency_key")
    payload.pop("action")
    return key, client.post(f"/api/v1/layanan/{service.slug}/permohonan/", payload, HTTP_IDEMPOTENCY_KEY=key)


def test_it_generates_the_openapi_schema_without_warnings(tmp_path, jetis):
    out = tmp_path / "schema.yml"
    call_command("spectacular", "--fail-on-warn", "--validate", "--file", str(out))
    schema = out.read_text()
    assert "/api/v1/kantor/permohonan/{id}/verifikasi/" in schema


def test_it_serves_swagger_ui_from_local_static_files_only(jetis_client):
    page = jetis_client.get("/api/docs/").content.decode()
    sources = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert sources and all(s.startswith("/static/") or s.startswith("/api/") for s in sources), sources
    assert jetis_client.get("/api/schema/").status_code == 200


def test_it_lists_services_publicly(jetis_client, domisili):
    services = jetis_client.get("/api/v1/layanan/").json()
    assert domisili.slug in {s["slug"] for s in services}
    detail = jetis_client.get(f"/api/v1/layanan/{domisili.slug}/").json()
    assert {r["code"] for r in detail["requirements"]} >= {"ktp"}


def test_it_submits_once_per_idempotency_key_and_tracks_without_personal_data(
    jetis, jetis_client, mojosari_client, domisili
):
    key, first = _submit(jetis_client, domisili)
    _, again = _submit(jetis_client, domisili, key)

    assert first.status_code == 201 and again.status_code == 200
    body = first.json()
    assert body["secret_link"] and again.json()["secret_link"] is None
    assert again.json()["tracking_code"] == body["tracking_code"]
    with tenant_context(jetis):
        assert Application.objects.filter(idempotency_key=key).count() == 1

    status = jetis_client.get(f"/api/v1/lacak/{body['tracking_code']}/")
    assert status.status_code == 200 and status.json()["application"]["status"] == "submitted"
    # no name and no NIK (a bare "3516" would also match a timestamp's microseconds)
    assert "Siti Aminah" not in status.content.decode() and NIK_MAN not in status.content.decode()
    assert mojosari_client.get(f"/api/v1/lacak/{body['tracking_code']}/").status_code == 404


def test_it_refuses_an_invalid_nik_with_a_clear_message(jetis_client, domisili):
    payload = apply_payload(domisili, "")
    payload["nik"] = "123"
    response = jetis_client.post(
        f"/api/v1/layanan/{domisili.slug}/permohonan/", payload, HTTP_IDEMPOTENCY_KEY=str(uuid.uuid4())
    )
    assert response.status_code == 400 and "nik" in response.json()["errors"]


def test_it_opens_citizen_details_only_with_the_secret_token(jetis_client, mojosari_client, domisili):
    _, response = _submit(jetis_client, domisili)
    body = response.json()
    token = body["secret_link"].split("?t=")[1]
    url = f"/api/v1/permohonan/{body['public_id']}/"

    by_header = jetis_client.get(url, HTTP_X_APPLICATION_TOKEN=token)
    assert by_header.status_code == 200 and by_header.json()["applicant_name"] == "Siti Aminah"
    assert NIK_MAN not in by_header.content.decode()
    assert jetis_client.get(url, {"t": token}).status_code == 200
    assert jetis_client.get(url, {"t": token[:-2] + "xx"}).status_code == 404  # another citizen's guess
    assert Client(HTTP_HOST="jetis.localhost").get(url).status_code == 404
    assert mojosari_client.get(url, {"t": token}).status_code == 404  # another kecamatan


def test_it_requires_a_verified_staff_session_for_staff_endpoints(jetis, domisili, jetis_client):
    _, response = _submit(jetis_client, domisili)
    code = response.json()["tracking_code"]
    make_staff(jetis, "pw.only")
    password_only = Client(HTTP_HOST="jetis.localhost")
    password_only.post("/kantor/masuk/", {"username": "pw.only", "password": PASSWORD})

    assert Client(HTTP_HOST="jetis.localhost").get("/api/v1/kantor/permohonan/").status_code == 403
    assert password_only.get("/api/v1/kantor/permohonan/").status_code == 403
    staff = staff_client(jetis, "api.verif")
    queue = staff.get("/api/v1/kantor/permohonan/").json()
    assert code in {row["tracking_code"] for row in queue}
    assert all(NIK_MAN not in str(row) for row in queue)


def test_it_reviews_through_the_api_and_refuses_another_kecamatan(jetis, mojosari, jetis_client, domisili):
    _, response = _submit(jetis_client, domisili)
    with tenant_context(jetis):
        application = Application.objects.get(tracking_code=response.json()["tracking_code"])
    staff = staff_client(jetis, "api.review")
    other = staff_client(mojosari, "api.mojosari")
    base = f"/api/v1/kantor/permohonan/{application.pk}/"

    assert other.get(base).status_code == 404
    assert other.post(base + "verifikasi/").status_code == 404
    assert other.post(base + "tolak/", {"reason": "x"}).status_code == 404

    assert other.post(base + "periksa/").status_code == 404
    detail = staff.get(base).json()
    assert detail["status"] == "submitted" and detail["applicant_nik"] == NIK_MAN  # reading changes nothing
    assert staff.get(base + "periksa/").status_code == 405
    detail = staff.post(base + "periksa/").json()
    assert detail["status"] == "in_review"
    ktp = next(d for d in detail["documents"] if d["requirement_code"] == "ktp")
    refused = staff.post(base + f"berkas/{ktp['id']}/nilai/", {"verdict": "redo"}, content_type="application/json")
    assert refused.status_code == 400 and "alasan" in refused.json()["detail"]
    staff.post(
        base + f"berkas/{ktp['id']}/nilai/", {"verdict": "redo", "reason": "Buram"}, content_type="application/json"
    )
    asked = staff.post(base + "minta-lengkapi/", {}, content_type="application/json")
    assert asked.status_code == 200 and asked.json()["status"] == "needs_completion"
    assert staff.post(base + "verifikasi/").status_code == 400  # not in review any more
    rejected = staff.post(base + "tolak/", {"reason": "Data palsu"}, content_type="application/json")
    assert rejected.status_code == 400  # needs_completion cannot be rejected directly


def test_it_describes_the_submit_fields_in_the_openapi_schema(jetis_client, domisili):
    schema = jetis_client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    operation = schema["paths"]["/api/v1/layanan/{slug}/permohonan/"]["post"]

    body = operation["requestBody"]["content"]["multipart/form-data"]["schema"]
    fields = schema["components"]["schemas"][body["$ref"].rsplit("/", 1)[1]]
    assert {"idempotency_key", "nama", "nik", "telepon", "email", "desa", "doc_ktp"} <= set(fields["properties"])
    assert fields["properties"]["doc_ktp"]["format"] == "binary"
    assert "doc_<" in fields["description"] and "form_fields" in fields["description"]
    assert "Idempotency-Key" in {p["name"] for p in operation["parameters"] if p["in"] == "header"}
