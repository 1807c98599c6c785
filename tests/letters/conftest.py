"""Fixtures for the letters tests: a real certomancer PKI (CA, OCSP, CRL, TSA over HTTP), a
BSrE stand-in that really signs, Jetis staff with their certificates."""

from __future__ import annotations

import io
import json
import logging
import subprocess
import threading
from pathlib import Path
from types import SimpleNamespace

import pytest

from tests import pki_fixtures

# Shared with tests/bench (the signing bench's TSA): a fixture is visible to the tests under the conftest that names it.
test_pki = pki_fixtures.test_pki

logging.getLogger("werkzeug").setLevel(logging.WARNING)

LONG_ALAMAT = (
    "Dusun Kedungsari RT 003 RW 002, Jalan Raya Jetis Gang Mawar Nomor 17, di belakang Balai Desa Mojorejo, "
    "Kecamatan Jetis, Kabupaten Mojokerto, Provinsi Jawa Timur"
)


@pytest.fixture(scope="session")
def bsre_server(test_pki):
    """A local HTTP server speaking the BSrE signing API; it signs with the Sekcam's test key."""
    from pyhanko.sign.signers import SimpleSigner
    from pyhanko_certvalidator.registry import SimpleCertificateStore
    from werkzeug.serving import make_server
    from werkzeug.wrappers import Request, Response

    from sipentol.docengine.signing import pades_sign

    key, cert = test_pki.key_and_cert("sekcam")
    signer = SimpleSigner(
        signing_cert=cert,
        signing_key=key,
        cert_registry=SimpleCertificateStore.from_certs([test_pki.arch.get_cert("kecamatan-ca")]),
    )
    state = SimpleNamespace(
        requests=[],
        passphrase="rahasia-bsre-123",
        nik="3516165505800002",
        user_id="sri.rahayu@mojokertokab.go.id",
        # The regency's account with the API (BSRE_USERNAME/BSRE_PASSWORD), HTTP basic auth as BSrE's.
        username="sipentol-mojokerto",
        password="akun-aplikasi-bsre-456",
        certificate_pem=test_pki.cert_pem("sekcam"),
    )

    def refused(status: int, message: str, code: int) -> Response:
        body = json.dumps({"error": message, "message": message, "status_code": code})
        return Response(body, status=status, content_type="application/json")

    @Request.application
    def app(request):
        auth = request.authorization
        if not auth or (auth.username, auth.password) != (state.username, state.password):
            return refused(401, "Unauthorized", 1001)
        if request.method == "GET" and request.path.startswith("/api/user/status/"):
            if request.path.rsplit("/", 1)[-1] != state.nik:
                body = {"status": "NOT_REGISTERED", "message": "Pengguna tidak terdaftar"}
                return Response(json.dumps(body), content_type="application/json")
            body = {
                "status": "ISSUE",
                "message": "Sertifikat aktif",
                "user_id": state.user_id,
                "certificate": state.certificate_pem,
            }
            return Response(json.dumps(body), content_type="application/json")
        if request.path != "/api/sign/pdf" or request.method != "POST":
            return refused(404, "not found", 404)
        state.requests.append({"nik": request.form.get("nik"), "tampilan": request.form.get("tampilan")})
        if request.form.get("nik") != state.nik or request.form.get("passphrase") != state.passphrase:
            return refused(400, "Passphrase anda salah", 2031)
        pdf = request.files["file"].read()
        # pades_sign timestamps with settings.SIGNING_TSA_URL, like BSrE's own TSA would.
        return Response(pades_sign(pdf, signer, reason="BSrE", location="Indonesia"), content_type="application/pdf")

    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    state.url = f"http://127.0.0.1:{server.server_port}"
    yield state
    server.shutdown()


@pytest.fixture
def letters_env(jetis, test_pki, settings):
    """Jetis with its templates, trusted CA, a Camat, a Sekcam, a verifier and an admin."""
    from django.contrib.auth import get_user_model
    from django_tenants.utils import tenant_context

    from sipentol.accounts.models import StaffProfile
    from sipentol.letters.pki import signer_credential_import_p12, trust_anchor_add
    from sipentol.letters.services import letter_templates_init

    settings.SIGNING_TSA_URL = test_pki.tsa_url
    User = get_user_model()

    def staff(username, first, last, role, nip="", position=""):
        user = User.objects.create_user(username, first_name=first, last_name=last, password="x-unused-9876")
        StaffProfile.objects.create(user=user, role=role, nip=nip, position=position)
        return user

    with tenant_context(jetis):
        letter_templates_init()
        trust_anchor_add(name="Mojokerto Test Root CA", certificate_pem=test_pki.cert_pem("root"))
        camat = staff("camat", "Drs. Bambang", "Wahyudi, M.Si.", "camat", "196805121993031007", "Camat Jetis")
        sekcam = staff(
            "sekcam", "Sri Rahayu", "Ningsih, S.Sos.", "sekcam", "197604182000122003", "Sekretaris Kecamatan"
        )
        verifier = staff("petugas", "Dwi", "Puspitasari", "verifier")
        admin = staff("admin", "Agus", "Salim", "admin")
        signer_credential_import_p12(user=camat, p12=test_pki.p12("camat", b"pin-camat"), password=b"pin-camat")
        signer_credential_import_p12(user=sekcam, p12=test_pki.p12("sekcam", b"pin-sekcam"), password=b"pin-sekcam")
        yield SimpleNamespace(kecamatan=jetis, camat=camat, sekcam=sekcam, verifier=verifier, admin=admin, pki=test_pki)


def sktm_data(**extra) -> dict:
    return {
        "tempat_lahir": "Mojokerto",
        "tanggal_lahir": "12 Maret 1985",
        "jenis_kelamin": "Perempuan",
        "pekerjaan": "Buruh tani",
        "alamat": LONG_ALAMAT,
        "desa": "Mojorejo",
        "nomor_pengantar_desa": "470/112/416-316.16.2009/2026",
        "penghasilan": "Rp 900.000",
        "tanggungan": 4,
        "keperluan": "keringanan biaya pendidikan anak di SMA Negeri 1 Jetis",
        **extra,
    }


def draft_and_sign(
    env, *, signer=None, service="sktm", data=None, holder="Siti Aminah", nik="3516164407850001", sign: bool = True
):
    """A letter drafted and sent for signature, then signed (unless sign=False)."""
    from sipentol.letters.services import letter_draft, letter_sign, letter_submit_for_signature

    letter = letter_draft(
        application_id=None,
        service_slug=service,
        holder_name=holder,
        holder_nik=nik,
        subject_data=data if data is not None else sktm_data(),
        actor=env.verifier,
    )
    letter = letter_submit_for_signature(letter=letter, actor=env.verifier)
    if not sign:
        return letter
    return letter_sign(letter=letter, signer_user=signer or env.camat, second_factor_ok=True)


def signed_pdf(letter) -> bytes:
    from sipentol.lib import storage

    return storage.get(letter.signed_pdf_key)


def pdf_text(pdf: bytes) -> str:
    out = subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True)
    return out.stdout.decode()


def pdf_pages(pdf: bytes) -> int:
    from pyhanko.pdf_utils.reader import PdfFileReader

    return int(PdfFileReader(io.BytesIO(pdf), strict=False).root["/Pages"]["/Count"])


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path
