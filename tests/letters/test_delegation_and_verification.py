"""Delegation rules (a.n./Plh. wording inside the date range only) and the public QR page."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from django_tenants.utils import tenant_context

from .conftest import draft_and_sign, pdf_text, signed_pdf


def delegate(env, *, capacity: str, starts: int, ends: int):
    from sipentol.letters.models import SigningDelegation

    today = timezone.localdate()
    return SigningDelegation.objects.create(
        delegate=env.sekcam,
        capacity=capacity,
        starts_on=today + dt.timedelta(days=starts),
        ends_on=today + dt.timedelta(days=ends),
        created_by=env.admin,
    )


def test_it_lets_the_sekcam_sign_with_an_wording_while_the_camat_is_absent(letters_env):
    with tenant_context(letters_env.kecamatan):
        delegate(letters_env, capacity="an", starts=-1, ends=2)
        letter = draft_and_sign(letters_env, signer=letters_env.sekcam)
        text = " ".join(pdf_text(signed_pdf(letter)).split())
    assert letter.signer_capacity == "an"
    assert "a.n. Camat Jetis" in text and "Sekretaris Kecamatan" in text and "Sri Rahayu Ningsih, S.Sos." in text


def test_it_uses_plh_wording_for_a_plh_delegation(letters_env):
    with tenant_context(letters_env.kecamatan):
        delegate(letters_env, capacity="plh", starts=0, ends=0)
        text = pdf_text(signed_pdf(draft_and_sign(letters_env, signer=letters_env.sekcam)))
    assert "Plh. Camat Jetis" in text


@pytest.mark.parametrize(("starts", "ends"), [(-10, -1), (1, 5)])
def test_it_refuses_a_delegate_outside_the_delegation_dates(letters_env, starts, ends):
    from sipentol.letters.models import Letter
    from sipentol.letters.services import SigningRefused

    with tenant_context(letters_env.kecamatan):
        delegate(letters_env, capacity="an", starts=starts, ends=ends)
        with pytest.raises(SigningRefused, match="tidak berwenang"):
            draft_and_sign(letters_env, signer=letters_env.sekcam)
        assert not Letter.objects.filter(status=Letter.Status.SIGNED).exists()
        assert not Letter.objects.exclude(number=None).exists()


def test_it_names_only_roles_the_permission_table_lets_sign_by_delegation(letters_env):
    from django.core.exceptions import ValidationError

    from sipentol.letters.models import SigningDelegation
    from sipentol.letters.services import SigningRefused, signing_capacity, signing_delegation_create

    today = timezone.localdate()
    with tenant_context(letters_env.kecamatan):
        # the service refuses a verifier or an admin as delegate, and the Camat needs none
        for person, message in [
            (letters_env.verifier, "tidak dapat menerima pelimpahan"),
            (letters_env.admin, "tidak dapat menerima pelimpahan"),
            (letters_env.camat, "Camat tidak perlu pelimpahan"),
        ]:
            with pytest.raises(ValidationError, match=message):
                signing_delegation_create(
                    delegate=person, capacity="an", starts_on=today, ends_on=today, actor=letters_env.admin
                )
        # a delegation row for a role that may not sign by delegation grants nothing
        SigningDelegation.objects.create(
            delegate=letters_env.verifier, capacity="an", starts_on=today, ends_on=today, created_by=letters_env.admin
        )
        with pytest.raises(SigningRefused, match="tidak berwenang"):
            signing_capacity(letters_env.verifier, on=today)
        # and only the table's roles may record one
        with pytest.raises(PermissionDenied):
            signing_delegation_create(
                delegate=letters_env.sekcam, capacity="an", starts_on=today, ends_on=today, actor=letters_env.verifier
            )
        assert (
            signing_delegation_create(
                delegate=letters_env.sekcam, capacity="plh", starts_on=today, ends_on=today, actor=letters_env.camat
            ).capacity
            == "plh"
        )


def test_it_refuses_a_signing_batch_without_the_second_factor(letters_env):
    from sipentol.letters.models import Letter, SigningBatch
    from sipentol.letters.services import SigningRefused, letter_sign, signing_batch_create

    with tenant_context(letters_env.kecamatan):
        letter = draft_and_sign(letters_env, sign=False)
        with pytest.raises(SigningRefused, match="faktor kedua"):
            signing_batch_create(letters=[letter], signer_user=letters_env.camat, second_factor_ok=False)
        with pytest.raises(SigningRefused, match="faktor kedua"):
            letter_sign(letter=letter, signer_user=letters_env.camat, second_factor_ok=False)
        assert not SigningBatch.objects.exists()
        letter.refresh_from_db()
        assert letter.status == Letter.Status.AWAITING_SIGNATURE and letter.number is None


def test_it_numbers_letters_signed_one_after_another_consecutively(letters_env):
    from services_catalog.configured.models import KecamatanService
    from sipentol.letters.services import letter_draft, letter_sign, letter_submit_for_signature

    from .conftest import sktm_data

    with tenant_context(letters_env.kecamatan):
        code = KecamatanService.objects.get(slug="sktm").letter_classification
        letters = [
            letter_submit_for_signature(
                letter=letter_draft(
                    application_id=i, service_slug="sktm", holder_name=f"Warga {i}",
                    holder_nik=f"35161601019000{i:02d}", subject_data=sktm_data(), actor=letters_env.verifier,
                ),
                actor=letters_env.verifier,
            )
            for i in range(1, 4)
        ]  # fmt: skip
        signed = [letter_sign(letter=x, signer_user=letters_env.camat, second_factor_ok=True) for x in letters]
    sequences = [letter.sequence for letter in signed]
    assert sequences == list(range(sequences[0], sequences[0] + 3))
    assert all(
        letter.number.startswith(f"{code}/") and letter.number.endswith(f"/416-316.16/{letter.year}")
        for letter in signed
    )


def test_the_verification_page_shows_the_letter_with_a_masked_nik(letters_env, jetis_client):
    with tenant_context(letters_env.kecamatan):
        letter = draft_and_sign(letters_env, nik="3516164407850001")
    page = jetis_client.get(f"/verifikasi/{letter.uuid}/").content.decode()
    assert 'data-status="valid"' in page
    for shown in ("Jetis", letter.number, "Surat Keterangan Tidak Mampu", "Siti Aminah", "3516********0001", "Bambang"):
        assert shown in page
    assert "3516164407850001" not in page


def test_the_verification_page_confirms_the_issued_file_and_rejects_a_changed_one(letters_env, jetis_client):
    with tenant_context(letters_env.kecamatan):
        letter = draft_and_sign(letters_env)
        pdf = signed_pdf(letter)
    url = f"/verifikasi/{letter.uuid}/"
    ok = jetis_client.post(url, {"berkas": SimpleUploadedFile("surat.pdf", pdf, "application/pdf")})
    assert 'data-result="ok"' in ok.content.decode()
    changed = pdf.replace(b"/Type /Page", b"/Type /Pagf", 1)
    bad = jetis_client.post(url, {"berkas": SimpleUploadedFile("surat.pdf", changed, "application/pdf")})
    assert 'data-result="fail"' in bad.content.decode() and "TIDAK sama" in bad.content.decode()


def test_the_verification_page_refuses_non_pdf_and_oversize_uploads(letters_env, jetis_client, settings):
    with tenant_context(letters_env.kecamatan):
        letter = draft_and_sign(letters_env)
    url = f"/verifikasi/{letter.uuid}/"
    response = jetis_client.post(
        url, {"berkas": SimpleUploadedFile("a.pdf", b"MZ\x90\x00 not a pdf", "application/pdf")}
    )
    assert response.status_code == 400 and "bukan PDF" in response.content.decode()
    settings.LETTERS_VERIFY_MAX_UPLOAD_BYTES = 1024
    response = jetis_client.post(
        url, {"berkas": SimpleUploadedFile("b.pdf", b"%PDF-" + b"0" * 4096, "application/pdf")}
    )
    assert response.status_code == 400 and "terlalu besar" in response.content.decode()


def test_a_revoked_letter_is_shown_as_revoked(letters_env, jetis_client):
    from sipentol.letters.services import letter_revoke

    with tenant_context(letters_env.kecamatan):
        letter = draft_and_sign(letters_env)
        letter_revoke(letter=letter, actor=letters_env.admin, reason="Data pemohon tidak benar")
        pdf = signed_pdf(letter)
    url = f"/verifikasi/{letter.uuid}/"
    page = jetis_client.get(url).content.decode()
    assert 'data-status="revoked"' in page and "DICABUT" in page and "Data pemohon tidak benar" in page
    upload = jetis_client.post(url, {"berkas": SimpleUploadedFile("surat.pdf", pdf, "application/pdf")})
    assert 'data-result="fail"' in upload.content.decode() and "dicabut" in upload.content.decode()


def test_only_camat_or_admin_may_revoke(letters_env):
    from django.core.exceptions import PermissionDenied

    from sipentol.letters.services import letter_revoke

    with tenant_context(letters_env.kecamatan):
        letter = draft_and_sign(letters_env)
        with pytest.raises(PermissionDenied):
            letter_revoke(letter=letter, actor=letters_env.verifier, reason="coba")


def test_a_letter_is_not_found_from_another_kecamatan_or_before_signing(letters_env, mojosari_client, jetis_client):
    from sipentol.letters.services import letter_draft

    from .conftest import sktm_data

    with tenant_context(letters_env.kecamatan):
        signed = draft_and_sign(letters_env)
        draft = letter_draft(
            application_id=None, service_slug="sktm", holder_name="Siti Aminah",
            holder_nik="3516164407850001", subject_data=sktm_data(), actor=letters_env.verifier,
        )  # fmt: skip
    assert mojosari_client.get(f"/verifikasi/{signed.uuid}/").status_code == 404
    assert jetis_client.get(f"/verifikasi/{draft.uuid}/").status_code == 404
