"""The admin kecamatan manages staff accounts, signing certificates and the office profile, over HTTP."""

from __future__ import annotations

import datetime as dt
import re

from django.contrib.auth import get_user_model
from django.test import Client
from django_tenants.utils import tenant_context

from sipentol.accounts.models import Role, StaffEvent

from .staff import PASSWORD, current_token, make_staff, staff_client

NEW_PASSWORD = "Gunung-Penanggungan-77"


def _temporary_password(response) -> str:
    match = re.search(r'id="temporary-password">([^<]+)</code>', response.content.decode())
    assert match, response.content.decode()[:2000]
    return match.group(1)


def _enrolment_code(response) -> str:
    match = re.search(r'id="enrolment-code">([^<]+)</code>', response.content.decode())
    assert match, response.content.decode()[:2000]
    return match.group(1)


def _user(kecamatan, username: str):
    with tenant_context(kecamatan):
        return get_user_model().objects.select_related("staff").get(username=username)


def _create(admin: Client, **fields):
    data = {"username": "", "full_name": "", "role": Role.VERIFIER, "position": "", "nip": "", "desa_code": ""}
    data.update(fields)
    return admin.post("/kantor/petugas/tambah/", data)


def _make_p12(password: bytes) -> bytes:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.hazmat.primitives.serialization import pkcs12
    from cryptography.x509.oid import NameOID

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Camat Uji Jetis")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=365))
        .sign(key, hashes.SHA256())
    )
    return pkcs12.serialize_key_and_certificates(
        b"camat", key, cert, None, serialization.BestAvailableEncryption(password)
    )


def test_it_lets_a_new_verifier_log_in_change_the_temporary_password_enroll_totp_and_reach_the_queue(jetis):
    admin = staff_client(jetis, "admin.jetis", Role.ADMIN)

    created = _create(admin, username="siti.verif", full_name="Siti Aminah", position="Petugas Pelayanan")
    assert created.status_code == 200 and "no-store" in created["Cache-Control"]
    temporary = _temporary_password(created)
    with tenant_context(jetis):
        user = get_user_model().objects.get(username="siti.verif")
        assert temporary not in user.password  # hashed
        events = list(StaffEvent.objects.filter(staff=user).values_list("action", "details"))
        assert events and temporary not in str(events)
    listing = admin.get("/kantor/petugas/").content.decode()
    assert "Siti Aminah" in listing and "siti.verif" in listing and "Petugas Pelayanan" in listing
    for page in (listing, admin.get(f"/kantor/petugas/{user.pk}/").content.decode(), created.content.decode()):
        assert "<script" not in page and 'style="' not in page  # CSP: no inline JS or styles

    client = Client(HTTP_HOST="jetis.localhost")
    login = client.post("/kantor/masuk/", {"username": "siti.verif", "password": temporary})
    assert login.status_code == 302 and login["Location"].startswith("/kantor/ganti-kata-sandi/")
    assert client.get("/kantor/")["Location"].startswith("/kantor/ganti-kata-sandi/")
    assert client.get("/kantor/masuk/otp/")["Location"].startswith("/kantor/ganti-kata-sandi/")

    weak = client.post("/kantor/ganti-kata-sandi/", {"new_password1": "12345678", "new_password2": "12345678"})
    assert weak.status_code == 400
    changed = client.post("/kantor/ganti-kata-sandi/", {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert changed.status_code == 302 and changed["Location"].startswith("/kantor/masuk/otp/")

    asked = client.get("/kantor/masuk/otp/").content.decode()
    assert 'name="enrolment_code"' in asked and "otpauth://totp/" not in asked  # the password alone shows no secret
    opened = client.post("/kantor/masuk/otp/", {"enrolment_code": _enrolment_code(created)})
    assert opened.status_code == 302
    enroll = client.get("/kantor/masuk/otp/").content.decode()
    assert "otpauth://totp/" in enroll
    verified = client.post("/kantor/masuk/otp/", {"token": current_token(jetis, "siti.verif"), "next": "/kantor/"})
    assert verified.status_code == 302
    assert 'id="backup-codes"' in client.get(verified["Location"]).content.decode()
    assert client.get("/kantor/").status_code == 200

    # the temporary password no longer works; the new one does
    again = Client(HTTP_HOST="jetis.localhost")
    assert again.post("/kantor/masuk/", {"username": "siti.verif", "password": temporary}).status_code == 400
    assert again.post("/kantor/masuk/", {"username": "siti.verif", "password": NEW_PASSWORD}).status_code == 302


def test_it_refuses_staff_pages_to_a_non_admin(jetis):
    verifier = staff_client(jetis, "verif.biasa")
    target = make_staff(jetis, "lain")

    assert verifier.get("/kantor/petugas/").status_code == 403
    assert verifier.get("/kantor/petugas/tambah/").status_code == 403
    assert verifier.post(f"/kantor/petugas/{target.pk}/aktif/", {"active": "0"}).status_code == 403
    assert verifier.get("/kantor/profil-kantor/").status_code == 403
    assert _user(jetis, "lain").is_active


def test_it_keeps_mojosaris_admin_away_from_jetis_staff(jetis, mojosari):
    jetis_staff = make_staff(jetis, "petugas.jetis.saja")
    mojosari_admin = staff_client(mojosari, "admin.mojosari", Role.ADMIN)

    assert "petugas.jetis.saja" not in mojosari_admin.get("/kantor/petugas/").content.decode()
    mojosari_admin.post(f"/kantor/petugas/{jetis_staff.pk}/aktif/", {"active": "0"})
    mojosari_admin.defaults["HTTP_HOST"] = "jetis.localhost"
    assert mojosari_admin.get("/kantor/petugas/")["Location"].startswith("/kantor/masuk/")
    assert mojosari_admin.post(f"/kantor/petugas/{jetis_staff.pk}/aktif/", {"active": "0"}).status_code == 302

    assert _user(jetis, "petugas.jetis.saja").is_active


def test_it_stops_a_deactivated_user_from_logging_in_and_can_reactivate(jetis):
    admin = staff_client(jetis, "admin.aktif", Role.ADMIN)
    target = make_staff(jetis, "akan.nonaktif")
    open_session = staff_client(jetis, "petugas.sesi")
    session_user = _user(jetis, "petugas.sesi")

    assert admin.post(f"/kantor/petugas/{target.pk}/aktif/", {"active": "0"}).status_code == 302
    assert admin.post(f"/kantor/petugas/{session_user.pk}/aktif/", {"active": "0"}).status_code == 302

    client = Client(HTTP_HOST="jetis.localhost")
    assert client.post("/kantor/masuk/", {"username": "akan.nonaktif", "password": PASSWORD}).status_code == 400
    assert open_session.get("/kantor/")["Location"].startswith("/kantor/masuk/")  # an open session ends too
    assert "Nonaktif" in admin.get("/kantor/petugas/").content.decode()

    admin.post(f"/kantor/petugas/{target.pk}/aktif/", {"active": "1"})
    assert client.post("/kantor/masuk/", {"username": "akan.nonaktif", "password": PASSWORD}).status_code == 302


def test_it_makes_the_next_login_enroll_again_with_the_code_shown_at_a_2fa_reset(jetis):
    admin = staff_client(jetis, "admin.reset", Role.ADMIN)
    staff_client(jetis, "hp.hilang")  # enrolled
    target = _user(jetis, "hp.hilang")
    assert "Sudah" in admin.get(f"/kantor/petugas/{target.pk}/").content.decode()

    reset = admin.post(f"/kantor/petugas/{target.pk}/reset-2fa/")
    assert reset.status_code == 200 and "no-store" in reset["Cache-Control"]
    code = _enrolment_code(reset)

    client = Client(HTTP_HOST="jetis.localhost")
    client.post("/kantor/masuk/", {"username": "hp.hilang", "password": PASSWORD})
    assert "otpauth://totp/" not in client.get("/kantor/masuk/otp/").content.decode()
    client.post("/kantor/masuk/otp/", {"enrolment_code": code})
    page = client.get("/kantor/masuk/otp/").content.decode()
    assert "otpauth://totp/" in page and "<svg" in page  # enrollment again, with a new secret
    assert client.post("/kantor/masuk/otp/", {"token": current_token(jetis, "hp.hilang")}).status_code == 302
    assert client.get("/kantor/").status_code == 200


def test_it_resets_a_password_to_a_new_temporary_one_shown_once(jetis):
    admin = staff_client(jetis, "admin.sandi", Role.ADMIN)
    target = make_staff(jetis, "lupa.sandi")

    response = admin.post(f"/kantor/petugas/{target.pk}/kata-sandi/")
    temporary = _temporary_password(response)

    assert "no-store" in response["Cache-Control"]
    assert temporary not in admin.get(f"/kantor/petugas/{target.pk}/").content.decode()
    client = Client(HTTP_HOST="jetis.localhost")
    assert client.post("/kantor/masuk/", {"username": "lupa.sandi", "password": PASSWORD}).status_code == 400
    login = client.post("/kantor/masuk/", {"username": "lupa.sandi", "password": temporary})
    assert login["Location"].startswith("/kantor/ganti-kata-sandi/")


def test_it_validates_the_nip_and_requires_a_desa_for_an_operator_desa(jetis):
    admin = staff_client(jetis, "admin.nip", Role.ADMIN)
    from tenants.models import Desa

    desa = Desa.objects.filter(kecamatan=jetis).first()
    other_desa = Desa.objects.exclude(kecamatan=jetis).first()

    bad_nip = _create(admin, username="nip.salah", full_name="Nip Salah", nip="1985-0101")
    assert bad_nip.status_code == 400 and "NIP harus 18 angka" in bad_nip.content.decode()
    no_desa = _create(admin, username="op.desa", full_name="Operator Desa", role=Role.DESA_OPERATOR)
    assert no_desa.status_code == 400 and "Operator desa wajib punya desa" in no_desa.content.decode()
    foreign = _create(
        admin, username="op.desa", full_name="Operator Desa", role=Role.DESA_OPERATOR, desa_code=other_desa.code
    )
    assert foreign.status_code == 400
    ok = _create(
        admin,
        username="op.desa",
        full_name="Operator Desa",
        role=Role.DESA_OPERATOR,
        desa_code=desa.code,
        nip="198501012010011001",
    )
    assert ok.status_code == 200
    assert desa.name in admin.get("/kantor/petugas/").content.decode()
    with tenant_context(jetis):
        assert get_user_model().objects.filter(username__in=["nip.salah"]).count() == 0


def test_it_protects_the_last_admin(jetis):
    admin = staff_client(jetis, "admin.terakhir", Role.ADMIN)
    me = _user(jetis, "admin.terakhir")

    response = admin.post(f"/kantor/petugas/{me.pk}/aktif/", {"active": "0"}, follow=True)
    assert "tidak dapat menonaktifkan akun Anda sendiri" in response.content.decode()
    demote = admin.post(
        f"/kantor/petugas/{me.pk}/", {"role": Role.VERIFIER, "position": "", "nip": "", "desa_code": ""}
    )
    assert demote.status_code == 400 and "admin kecamatan terakhir" in demote.content.decode()
    assert _user(jetis, "admin.terakhir").staff.role == Role.ADMIN

    second = make_staff(jetis, "admin.kedua", Role.ADMIN)
    assert admin.post(f"/kantor/petugas/{second.pk}/aktif/", {"active": "0"}).status_code == 302
    assert not _user(jetis, "admin.kedua").is_active  # one admin remains: allowed


def test_it_accepts_a_signing_certificate_only_with_its_password(jetis):
    admin = staff_client(jetis, "admin.sertifikat", Role.ADMIN)
    camat = make_staff(jetis, "bu.camat", Role.CAMAT)
    p12 = _make_p12(b"rahasia-p12")
    from django.core.files.uploadedfile import SimpleUploadedFile

    def upload(password: str, content: bytes = p12):
        file = SimpleUploadedFile("camat.p12", content, content_type="application/x-pkcs12")
        return admin.post(f"/kantor/petugas/{camat.pk}/sertifikat/", {"p12": file, "password": password})

    wrong = upload("salah")
    assert wrong.status_code == 400 and "kata sandinya salah" in wrong.content.decode()
    garbage = upload("rahasia-p12", b"bukan sertifikat")
    assert garbage.status_code == 400 and "bukan PKCS#12" in garbage.content.decode()

    assert upload("rahasia-p12").status_code == 302
    verifier = make_staff(jetis, "bukan.penanda.tangan")
    file = SimpleUploadedFile("v.p12", p12, content_type="application/x-pkcs12")
    refused = admin.post(
        f"/kantor/petugas/{verifier.pk}/sertifikat/", {"p12": file, "password": "rahasia-p12"}, follow=True
    )
    assert "hanya untuk Camat, Sekretaris Camat atau Kepala Desa" in refused.content.decode()
    assert f"/kantor/petugas/{camat.pk}/sertifikat/" in admin.get(f"/kantor/petugas/{camat.pk}/").content.decode()
    page = admin.get(f"/kantor/petugas/{camat.pk}/sertifikat/").content.decode()
    assert "CN=Camat Uji Jetis" in page
    with tenant_context(jetis):
        from sipentol.letters.models import SignerCredential

        credential = SignerCredential.objects.get(user=camat, is_active=True)
        assert b"rahasia-p12" not in bytes(credential.p12_password_encrypted)
        assert "rahasia-p12" not in str(list(StaffEvent.objects.values_list("details", flat=True)))


def test_it_shows_an_office_profile_change_on_the_contact_page(jetis, jetis_client):
    from tenants.routing import forget_tenant

    admin = staff_client(jetis, "admin.kantor", Role.ADMIN)
    try:
        response = admin.post(
            "/kantor/profil-kantor/",
            {
                "address": "Jl. Raya Jetis No. 99, Mojokerto",
                "phone": "0321-555123",
                "whatsapp": "081299887766",
                "email": "kantor@jetis.example",
                "office_hours": "Senin-Kamis 07.30-15.30",
            },
        )
        assert response.status_code == 302
        contact = jetis_client.get("/kontak/").content.decode()
        assert "Jl. Raya Jetis No. 99, Mojokerto" in contact
        assert "Senin-Kamis 07.30-15.30" in contact and "0321-555123" in contact
        bad = admin.post("/kantor/profil-kantor/", {"whatsapp": "nomor saya", "email": "bukan-email"})
        assert bad.status_code == 400 and "Tulis nomor WhatsApp dengan angka saja" in bad.content.decode()
    finally:
        forget_tenant(jetis)  # the test's transaction rolls back; do not leave the new profile cached
