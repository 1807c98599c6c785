"""BSrE as deployed: the admin kecamatan enrols a signer (NIK, BSrE user id) and tests it against
the BSrE stand-in, registers the trusted root and intermediate certificates, sees each signer's
certificate validity; a BSrE signer signs on the signing page with their passphrase, and the
letter carries the BSrE footer Diskominfo keeps on the ops console."""

from __future__ import annotations

import datetime as dt

from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.utils import timezone
from django_tenants.utils import tenant_context

from sipentol.accounts.models import RegencyRole, Role
from sipentol.letters import pki
from sipentol.letters.models import Letter, SignerCredential, SigningDelegation, TrustAnchor
from sipentol.letters.services import letter_draft, letter_sign, letter_submit_for_signature, letter_templates_init
from tenants.models import OpsEvent
from tests.accounts.staff import make_staff, public_sign_in, staff_client
from tests.factories import RegencyUserFactory

from .conftest import pdf_text, signed_pdf, sktm_data

FOOTER_UU_ITE = (
    "Informasi Elektronik dan/atau Dokumen Elektronik dan/atau hasil cetaknya merupakan alat bukti hukum yang sah"
)
FOOTER_BSRE = (
    "Dokumen ini telah ditandatangani secara elektronik menggunakan sertifikat elektronik yang diterbitkan oleh BSrE"
)


def _bsre_settings(settings, bsre_server) -> None:
    settings.BSRE_URL = bsre_server.url
    settings.BSRE_USERNAME, settings.BSRE_PASSWORD = bsre_server.username, bsre_server.password


def _user(kecamatan, username: str):
    with tenant_context(kecamatan):
        return get_user_model().objects.get(username=username)


def _fresh_code(kecamatan, username: str) -> str:
    """A code the authenticator shows half a minute later: django-otp accepts each code once."""
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    with tenant_context(kecamatan):
        device = TOTPDevice.objects.get(user__username=username)
        device.last_t = -1
        device.throttling_failure_count = 0
        device.save(update_fields=["last_t", "throttling_failure_count"])
        return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):0{device.digits}d}"


def _letter_awaiting_signature(kecamatan, *, holder: str = "Siti Aminah") -> Letter:
    with tenant_context(kecamatan):
        letter_templates_init()
        verifier = get_user_model().objects.filter(staff__role=Role.VERIFIER).first() or make_staff(
            kecamatan, "verif-bsre", Role.VERIFIER
        )
        letter = letter_draft(
            application_id=None,
            service_slug="sktm",
            holder_name=holder,
            holder_nik="3516164407850001",
            subject_data=sktm_data(),
            actor=verifier,
        )
        return letter_submit_for_signature(letter=letter, actor=verifier)


def _page_text(response) -> str:
    return " ".join(response.content.decode().split())


def _flat(text: str) -> str:
    return " ".join(text.split())


# ------------------------------------------------------------------ enrolment and the test call
def test_it_enrols_a_signer_with_bsre_and_shows_bsres_answer_to_the_test_call(jetis, bsre_server, settings):
    # given BSrE configured, an admin kecamatan and a Sekcam (a role that signs by delegation)
    _bsre_settings(settings, bsre_server)
    admin = staff_client(jetis, "admin-bsre", Role.ADMIN)
    sekcam = make_staff(jetis, "sekcam-bsre", Role.SEKCAM)
    page = f"/kantor/petugas/{sekcam.pk}/sertifikat/"

    # when the admin enrols the Sekcam's NIK and BSrE user id, then presses "test"
    enrolled = admin.post(page, {"action": "bsre", "nik": bsre_server.nik, "user_id": bsre_server.user_id})
    checked = admin.post(page, {"action": "check"}, follow=True)

    # then BSrE's answer is shown, the NIK only masked, and the certificate's validity is known
    assert enrolled.status_code == 302
    text = _page_text(checked)
    assert "BSrE: Sertifikat aktif" in text
    assert bsre_server.nik not in text and "3516********0002" in text
    with tenant_context(jetis):
        credential = SignerCredential.objects.get(user=sekcam, is_active=True)
        assert credential.kind == SignerCredential.Kind.BSRE and credential.bsre_check_ok is True
        assert credential.valid_to.year == 2090
    events = OpsEvent.objects.filter(kecamatan=jetis, action__startswith="bsre_signer_")
    assert sorted(events.values_list("action", flat=True)) == ["bsre_signer_checked", "bsre_signer_enrolled"]
    assert not [e for e in events if bsre_server.nik in f"{e.target} {e.reason} {e.details}"]


def test_it_shows_the_apis_own_error_when_the_test_call_fails(jetis, bsre_server, settings):
    _bsre_settings(settings, bsre_server)
    admin = staff_client(jetis, "admin-bsre", Role.ADMIN)
    camat = make_staff(jetis, "camat-bsre", Role.CAMAT)
    page = f"/kantor/petugas/{camat.pk}/sertifikat/"
    admin.post(page, {"action": "bsre", "nik": "3516160101700009", "user_id": "bambang@mojokertokab.go.id"})

    unknown = _page_text(admin.post(page, {"action": "check"}, follow=True))
    settings.BSRE_PASSWORD = "bukan-sandi-akun-aplikasi"
    wrong_account = _page_text(admin.post(page, {"action": "check"}, follow=True))

    assert "BSrE menolak atau gagal: Pengguna tidak terdaftar" in unknown
    assert "BSrE menolak akun aplikasi kabupaten" in wrong_account
    with tenant_context(jetis):
        assert SignerCredential.objects.get(user=camat, is_active=True).bsre_check_ok is False


def test_it_refuses_a_bsre_enrolment_for_a_role_that_may_not_sign_or_a_nik_that_is_not_16_digits(jetis):
    admin = staff_client(jetis, "admin-bsre", Role.ADMIN)
    verifier = make_staff(jetis, "verif-bsre", Role.VERIFIER)
    camat = make_staff(jetis, "camat-bsre", Role.CAMAT)

    not_a_signer = admin.post(
        f"/kantor/petugas/{verifier.pk}/sertifikat/", {"action": "bsre", "nik": "3516160101700009", "user_id": "x"}
    )
    short_nik = admin.post(
        f"/kantor/petugas/{camat.pk}/sertifikat/", {"action": "bsre", "nik": "35161601", "user_id": "x"}
    )

    assert not_a_signer.status_code == 400 and "hanya untuk Camat" in not_a_signer.content.decode()
    assert short_nik.status_code == 400
    with tenant_context(jetis):
        assert not SignerCredential.objects.filter(user__in=[verifier, camat]).exists()


# ------------------------------------------------------------------ trusted roots and validity
def test_it_registers_root_and_intermediate_certificates_and_refuses_anything_else(jetis, test_pki):
    admin = staff_client(jetis, "admin-bsre", Role.ADMIN)
    camat = staff_client(jetis, "camat-bsre", Role.CAMAT)
    root_pem = test_pki.cert_pem("root").encode()
    intermediate_der = x509.load_pem_x509_certificate(test_pki.cert_pem("kecamatan-ca").encode()).public_bytes(
        Encoding.DER
    )

    def upload(client, name: str, data: bytes):
        return client.post("/kantor/penanda-tangan/", {"certificate": SimpleUploadedFile(name, data)})

    assert upload(admin, "root.pem", root_pem).status_code == 302
    assert upload(admin, "kecamatan-ca.cer", intermediate_der).status_code == 302
    garbage = upload(admin, "foto.pem", b"bukan sertifikat sama sekali")
    signer_cert = upload(admin, "camat.pem", test_pki.cert_pem("camat").encode())
    again = upload(admin, "root-lagi.pem", root_pem)
    by_camat = upload(camat, "root.pem", root_pem)

    assert garbage.status_code == 400 and "bukan sertifikat X.509" in garbage.content.decode()
    assert signer_cert.status_code == 400 and "bukan sertifikat CA" in signer_cert.content.decode()
    assert again.status_code == 400 and "sudah terdaftar" in again.content.decode()
    assert by_camat.status_code == 403
    with tenant_context(jetis):
        mine = TrustAnchor.objects.filter(added_by__username="admin-bsre")
        kinds = {name.split(",")[0]: kind for kind, name in mine.values_list("kind", "name")}
        assert kinds == {"CN=Mojokerto Test Root CA": "root", "CN=Kecamatan Jetis Test CA": "intermediate"}
    assert OpsEvent.objects.filter(kecamatan=jetis, action="trust_root_registered").count() == 1
    assert OpsEvent.objects.filter(kecamatan=jetis, action="trust_intermediate_registered").count() == 1


def test_it_warns_on_the_signers_page_about_a_certificate_ending_within_30_days(jetis):
    admin = staff_client(jetis, "admin-bsre", Role.ADMIN)
    camat = make_staff(jetis, "camat-bsre", Role.CAMAT)
    sekcam = make_staff(jetis, "sekcam-bsre", Role.SEKCAM)
    make_staff(jetis, "verif-bsre", Role.VERIFIER)
    with tenant_context(jetis):
        for user, days in ((camat, 12), (sekcam, 90)):
            credential = pki.signer_credential_bsre(user=user, nik="3516160101700009", user_id=user.username)
            credential.valid_to = timezone.now() + dt.timedelta(days=days)
            credential.save(update_fields=["valid_to"])

    text = _page_text(admin.get("/kantor/penanda-tangan/"))

    rows = {name: text.split(name, 1)[1][:400] for name in ("Camat-Bsre", "Sekcam-Bsre")}
    assert "segera berakhir" in rows["Camat-Bsre"].split("Atur", 1)[0]
    assert "segera berakhir" not in rows["Sekcam-Bsre"].split("Atur", 1)[0]
    assert "Verif-Bsre" not in text
    assert "3516********0009" in text and "3516160101700009" not in text


# ------------------------------------------------------------------ the signing page
def test_it_signs_through_bsre_on_the_signing_page_and_says_clearly_what_is_wrong_before(jetis, bsre_server, settings):
    # given a Camat enrolled with BSrE and a letter awaiting signature
    _bsre_settings(settings, bsre_server)
    settings.SIGNING_TSA_URL = ""
    camat = staff_client(jetis, "camat-bsre", Role.CAMAT)
    with tenant_context(jetis):
        pki.signer_credential_bsre(user=_user(jetis, "camat-bsre"), nik=bsre_server.nik, user_id=bsre_server.user_id)
    letter = _letter_awaiting_signature(jetis)
    connection.set_schema_to_public()

    def sign(passphrase: str) -> str:
        form = {"letters": [str(letter.uuid)], "otp": _fresh_code(jetis, "camat-bsre"), "passphrase": passphrase}
        return _page_text(camat.post("/kantor/tanda-tangan/", form, follow=True))

    # when the regency's BSrE account is missing, then wrong; then the Camat's passphrase is wrong
    page = _page_text(camat.get("/kantor/tanda-tangan/"))
    settings.BSRE_PASSWORD = ""
    missing_account = sign(bsre_server.passphrase)
    settings.BSRE_PASSWORD = "bukan-sandi-akun-aplikasi"
    wrong_account = sign(bsre_server.passphrase)
    settings.BSRE_PASSWORD = bsre_server.password
    wrong_passphrase = sign("passphrase-keliru")
    with tenant_context(jetis):
        letter.refresh_from_db()
        assert letter.status == Letter.Status.AWAITING_SIGNATURE and letter.number is None
    signed = sign(bsre_server.passphrase)

    # then each refusal says what is wrong, and the right passphrase signs the letter
    assert "Passphrase BSrE Anda" in page
    assert "Akun aplikasi untuk BSrE belum diisi (BSRE_USERNAME/BSRE_PASSWORD)" in missing_account
    assert "BSrE menolak akun aplikasi kabupaten" in wrong_account
    assert "periksa NIK dan passphrase Anda" in wrong_passphrase and "Passphrase anda salah" in wrong_passphrase
    assert "1 surat ditandatangani melalui BSrE" in signed
    with tenant_context(jetis):
        letter.refresh_from_db()
        assert letter.status == Letter.Status.SIGNED
        text = _flat(pdf_text(signed_pdf(letter)))
    assert FOOTER_UU_ITE in text and FOOTER_BSRE in text
    assert bsre_server.passphrase not in signed


def test_it_tells_a_signer_without_a_certificate_to_ask_the_admin_on_the_signing_page(jetis):
    camat = staff_client(jetis, "camat-bsre", Role.CAMAT)
    _letter_awaiting_signature(jetis)
    connection.set_schema_to_public()

    page = camat.get("/kantor/tanda-tangan/")

    assert page.status_code == 200
    text = _page_text(page)
    assert "Anda belum memiliki sertifikat tanda tangan elektronik. Hubungi admin kecamatan." in text
    assert 'type="submit" disabled' in text


# ------------------------------------------------------------------ the footer, kept by Diskominfo
def test_it_prints_the_footer_diskominfo_sets_on_bsre_letters_only(jetis, bsre_server, settings, public_client):
    _bsre_settings(settings, bsre_server)
    settings.SIGNING_TSA_URL = ""
    operator = public_sign_in(public_client, RegencyUserFactory(role=RegencyRole.OPERATOR), "/ops/")
    refused = operator.post("/ops/tanda-tangan/catatan-kaki/simpan/", {"text": "Redaksi operator."})
    admin = public_sign_in(
        Client(HTTP_HOST="localhost"), RegencyUserFactory(role=RegencyRole.DISKOMINFO_ADMIN), "/ops/"
    )
    wording = (
        "Sesuai UU ITE, dokumen elektronik adalah alat bukti yang sah.\nDitandatangani dengan sertifikat BSrE BSSN."
    )
    saved = admin.post("/ops/tanda-tangan/catatan-kaki/simpan/", {"text": wording})
    shown = _page_text(admin.get("/ops/tanda-tangan/catatan-kaki/"))

    camat = make_staff(jetis, "camat-bsre", Role.CAMAT)
    sekcam = make_staff(jetis, "sekcam-p12", Role.SEKCAM)
    with tenant_context(jetis):
        pki.signer_credential_bsre(user=camat, nik=bsre_server.nik, user_id=bsre_server.user_id)
        pki.dev_signer_issue(ca=pki.dev_ca_ensure(jetis.name), user=sekcam)
    by_bsre, by_p12 = _letter_awaiting_signature(jetis), _letter_awaiting_signature(jetis, holder="Sutrisno")
    with tenant_context(jetis):
        bsre_text = _flat(
            pdf_text(
                signed_pdf(
                    letter_sign(
                        letter=by_bsre, signer_user=camat, second_factor_ok=True, passphrase=bsre_server.passphrase
                    )
                )
            )
        )
        today = timezone.localdate()
        SigningDelegation.objects.create(delegate=sekcam, capacity="plh", starts_on=today, ends_on=today)
        p12_text = _flat(pdf_text(signed_pdf(letter_sign(letter=by_p12, signer_user=sekcam, second_factor_ok=True))))

    assert refused.status_code == 403
    assert saved.status_code == 302 and "Ditandatangani dengan sertifikat BSrE BSSN." in shown
    assert OpsEvent.objects.filter(action="signature_footer_set").count() == 1
    assert "Sesuai UU ITE, dokumen elektronik adalah alat bukti yang sah." in bsre_text
    assert "Ditandatangani dengan sertifikat BSrE BSSN." in bsre_text and FOOTER_BSRE not in bsre_text
    assert "BSrE" not in p12_text and "alat bukti" not in p12_text
