"""The whole journey in a real browser: a citizen on a phone applies for Surat Keterangan Domisili,
a verifier asks for one document again, the citizen redoes it from the link, the verifier verifies
and drafts the letter, the Camat signs it on a phone with a second factor, the citizen downloads
the signed PDF, and the QR code read out of the PDF opens the verification page: valid.

One test, steps in order, a screenshot after each (test-artifacts/screenshots/journey/, and
docs/screenshots/ with UPDATE_SCREENSHOTS=1).
"""

from __future__ import annotations

import re
import subprocess

import pytest
from playwright.sync_api import expect

from sipentol.accounts.models import Role

from .conftest import Screens, axe_serious, english_words, new_context, phone_photo, staff_sign_in

pytestmark = pytest.mark.slow

TRACKING_RE = re.compile(r"[A-Z]{3}-\d{4}-[2-9A-HJKMNP-Z]{4}")
# What a citizen types, field by field, in the order Tab reaches the fields.
TYPED = {
    "id_nama": "Siti Aminah",
    "id_nik": "3516165203850002",
    "id_no_kk": "3516160101090003",
    "id_tempat_lahir": "Mojokerto",
    "id_pekerjaan": "Karyawan swasta",
    "id_agama": "Islam",
    "id_status_perkawinan": "Kawin",
    "id_jenis_kelamin": "Perempuan",
    "id_alamat": "Dusun Kedungsari RT 002 RW 001",
    "id_telepon": "0812-3456-7890",
    "id_email": "",
    "id_alamat_domisili": "",
    "id_tinggal_sejak": "2019",
    "id_keperluan": "melamar pekerjaan",
}
EXPECTED_VALUES = {"id_tanggal_lahir": "1985-03-12", "id_jenis_kelamin": "Perempuan"}


def assert_indonesian(page) -> None:
    text = page.locator("body").inner_text()
    assert not english_words(text), f"English words on {page.url}: {sorted(english_words(text))}"


def focus_is_visible(page) -> bool:
    return page.evaluate(
        """() => { const s = getComputedStyle(document.activeElement);
        return (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2) || s.boxShadow !== 'none'; }"""
    )


def active_id(page) -> str:
    return page.evaluate("() => document.activeElement.id || document.activeElement.tagName")


def tab_to_next_control(page, current: str) -> None:
    """Tab until focus leaves the control (a date input has a stop per day/month/year part)."""
    for _ in range(4):
        page.keyboard.press("Tab")
        if active_id(page) != current:
            return
    raise AssertionError(f"Tab does not leave {current}")


def fill_form_with_keyboard(page, photos: dict[str, object]) -> None:
    """Tab from the top of the page to the first field, then through every field in order."""
    page.keyboard.press("Tab")
    for _ in range(30):
        if active_id(page) == "id_nama":
            break
        page.keyboard.press("Tab")
    controls = page.locator("form.form :is(input, select, textarea, button):not([type=hidden])")
    order = [c.evaluate("e => e.id || e.tagName") for c in controls.all()]
    seen = []
    for _ in range(len(order)):
        current = active_id(page)
        seen.append(current)
        assert focus_is_visible(page), f"no visible focus on {current}"
        tag = page.evaluate("() => document.activeElement.tagName + ':' + (document.activeElement.type || '')")
        if current == "id_tanggal_lahir":
            # the date's digit order follows the browser's ICU locale; set it as the picker would
            page.locator("#id_tanggal_lahir").fill("1985-03-12")
        elif current == "id_desa":
            page.keyboard.type("Desa Jetis", delay=5)  # typeahead picks the desa by its name
        elif current in TYPED:
            if TYPED[current]:
                page.keyboard.type(TYPED[current], delay=5)
        elif tag.startswith("SELECT"):  # a field added later: its first real choice, by typeahead
            page.keyboard.type(page.locator(f"#{current} option").nth(1).inner_text(), delay=5)
        elif tag in ("INPUT:text", "TEXTAREA:textarea"):
            page.keyboard.type("Lainnya", delay=5)
        elif tag == "INPUT:file":
            code = current.removeprefix("id_doc_")
            if code in photos:
                page.locator(f"#{current}").set_input_files(str(photos[code]))  # the phone's file chooser
        elif tag.startswith("BUTTON"):
            break
        tab_to_next_control(page, current)
    assert seen == order[: len(seen)], "focus order differs from the form's order"
    for field_id, value in EXPECTED_VALUES.items():
        assert page.locator(f"#{field_id}").input_value() == value
    assert page.locator("#id_desa").input_value() == "35.16.16.2013"
    assert active_id(page) == "BUTTON"  # "Kirim permohonan", reached with Tab


def test_it_takes_a_citizen_from_search_to_a_signed_verified_letter(
    browser, app_server, make_staff, tmp_path, celery_worker_process
):
    screens = Screens("journey")
    verifier = make_staff("jetis", "rina.verifikator", Role.VERIFIER, "Rina", "Wulandari")
    camat = make_staff("jetis", "camat.jetis", Role.CAMAT, "Budi", "Santoso")
    photos = {code: phone_photo(tmp_path / f"IMG_2026112{i}_0915.jpg", seed=i) for i, code in enumerate(
        ["ktp", "kk", "pengantar-desa"]
    )}  # fmt: skip
    citizen_ctx = new_context(browser, phone=True)
    citizen = citizen_ctx.new_page()

    # 1. the citizen opens the kecamatan's site on a phone and searches the service
    citizen.goto(app_server.url("jetis"))
    expect(citizen.locator("h1")).to_be_visible()
    assert_indonesian(citizen)
    screens.take(citizen, "citizen-home")
    citizen.get_by_label("Cari layanan").first.click()
    citizen.keyboard.type("domisili")
    citizen.keyboard.press("Enter")
    citizen.wait_for_url(re.compile(r"/layanan/\?q=domisili"))
    assert_indonesian(citizen)
    screens.take(citizen, "citizen-search")
    citizen.get_by_role("link", name="Surat Keterangan Domisili").first.click()
    citizen.wait_for_url(re.compile(r"/layanan/domisili/$"))
    expect(citizen.get_by_role("heading", level=1)).to_contain_text("Domisili")
    assert_indonesian(citizen)
    screens.take(citizen, "citizen-service")

    # 2. opens the form and fills it with the keyboard, photos from the phone's camera
    citizen.get_by_role("link", name="Ajukan permohonan").first.click()
    citizen.wait_for_url(re.compile(r"/layanan/domisili/ajukan/$"))
    assert_indonesian(citizen)
    fill_form_with_keyboard(citizen, photos)
    screens.take(citizen, "citizen-form-filled")
    citizen.keyboard.press("Enter")
    citizen.wait_for_url(re.compile(r"/permohonan/[0-9a-f-]{36}/$"))
    expect(citizen.get_by_role("heading", level=1)).to_have_text("Permohonan terkirim")
    tracking_code = citizen.locator(".tracking-code").inner_text().strip()
    assert TRACKING_RE.fullmatch(tracking_code)
    receipt_url = citizen.url
    assert_indonesian(citizen)
    screens.take(citizen, "citizen-receipt")

    # 3. the verifier signs in (password + TOTP), opens the application from the queue, starts the review
    staff_ctx = new_context(browser, phone=False)
    staff = staff_ctx.new_page()
    staff_sign_in(staff, app_server, verifier, screens)
    expect(staff.get_by_role("link", name=tracking_code)).to_be_visible()
    screens.take(staff, "verifier-queue")
    staff.get_by_role("link", name=tracking_code).click()
    expect(staff.get_by_role("heading", level=1)).to_contain_text(tracking_code)
    expect(staff.locator("body")).to_contain_text("3516165203850002")  # staff see the full NIK
    staff.get_by_role("button", name="Mulai periksa").click()  # opening it changed nothing; this takes it
    expect(staff.get_by_role("heading", level=1)).to_contain_text("Sedang diperiksa")

    # 4. KTP must be redone, the rest is accepted; the citizen is asked to complete
    reason = "Foto KTP terpotong di bagian NIK, mohon foto ulang seluruh kartu."
    ktp = staff.locator("section.doc", has_text="KTP-el pemohon")
    ktp.get_by_label("Perlu diunggah ulang").check()
    ktp.get_by_label("Alasan (wajib bila diunggah ulang)").fill(reason)
    ktp.get_by_role("button", name="Simpan penilaian").click()
    for name in ("Kartu Keluarga (KK) pemohon", "Surat pengantar RT/RW dan desa/kelurahan"):
        doc = staff.locator("section.doc", has_text=name)
        doc.get_by_label("Diterima").check()
        doc.get_by_role("button", name="Simpan penilaian").click()
        expect(staff.locator("section.doc", has_text=name).locator(".badge")).to_have_text("Diterima")
    staff.get_by_label("Pesan untuk pemohon (opsional)").fill("Mohon unggah ulang foto KTP yang jelas.")
    screens.take(staff, "verifier-review")
    staff.get_by_role("button", name="Minta pemohon melengkapi").click()
    expect(staff.get_by_role("heading", level=1)).to_contain_text("Perlu dilengkapi pemohon")
    screens.take(staff, "verifier-asked-completion")

    # 5. the citizen opens the link again, sees why, and re-uploads the KTP photo
    citizen.goto(receipt_url)
    expect(citizen.locator("body")).to_contain_text(reason)
    assert_indonesian(citizen)
    screens.take(citizen, "citizen-needs-completion")
    citizen.get_by_role("link", name="Lengkapi berkas sekarang").click()
    citizen.wait_for_url(re.compile(r"/lengkapi/$"))
    assert_indonesian(citizen)
    citizen.get_by_label("KTP-el pemohon").set_input_files(str(phone_photo(tmp_path / "IMG_ktp_ulang.jpg", seed=5)))
    assert axe_serious(citizen) == []
    screens.take(citizen, "citizen-completion-form")
    citizen.get_by_role("button", name="Kirim perbaikan").click()
    citizen.wait_for_url(receipt_url)
    expect(citizen.locator(".messages")).to_contain_text("berkas perbaikan sudah kami terima")
    expect(citizen.locator(".badge").first).to_have_text("Sudah dilengkapi, menunggu pemeriksaan ulang")
    assert_indonesian(citizen)
    screens.take(citizen, "citizen-resubmitted")

    # 6. the verifier takes the completed application back into review, accepts the new KTP, verifies
    staff.reload()
    staff.get_by_role("button", name="Mulai periksa").click()
    expect(staff.get_by_role("heading", level=1)).to_contain_text("Sedang diperiksa")
    new_ktp = staff.locator("section.doc", has_text="KTP-el pemohon")
    new_ktp.get_by_label("Diterima").check()
    new_ktp.get_by_role("button", name="Simpan penilaian").click()
    expect(staff.locator("section.doc", has_text="KTP-el pemohon").locator(".badge")).to_have_text("Diterima")
    staff.get_by_role("button", name="Verifikasi: berkas lengkap dan benar").click()
    expect(staff.get_by_role("heading", level=1)).to_contain_text("Berkas lengkap dan benar")
    screens.take(staff, "verifier-verified")

    # 7. the citizen sees the verified status on the same link
    citizen.goto(receipt_url)
    expect(citizen.locator(".badge").first).to_have_text("Berkas lengkap dan benar")
    assert_indonesian(citizen)
    screens.take(citizen, "citizen-verified")

    # 8. the verifier drafts the letter and sends it to the Camat
    staff.get_by_role("button", name="Buat draf surat").click()
    expect(staff.get_by_role("heading", level=1)).to_contain_text("Surat sedang disiapkan")
    staff.get_by_role("button", name="Kirim ke Camat untuk ditandatangani").click()
    expect(staff.get_by_role("heading", level=1)).to_contain_text("Menunggu tanda tangan Camat")
    screens.take(staff, "verifier-sent-to-camat")

    # 9. the Camat, on a phone, signs in with TOTP and signs with a fresh code (second factor)
    camat_ctx = new_context(browser, phone=True)
    phone = camat_ctx.new_page()
    staff_sign_in(phone, app_server, camat, screens)
    phone.get_by_role("link", name="Tanda tangan").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Surat menunggu tanda tangan")
    letter = phone.locator(".sign-list li", has_text="Siti Aminah")
    expect(letter).to_have_count(1)
    letter.get_by_role("checkbox").check()
    phone.get_by_label("Kode verifikasi dari aplikasi autentikator (6 angka)").fill(camat.totp())
    assert axe_serious(phone) == []
    screens.take(phone, "camat-signing")
    phone.get_by_role("button", name="Tanda tangani surat yang dipilih").click()
    expect(phone.locator(".messages")).to_contain_text("1 surat sedang ditandatangani")
    # the signing runs on the worker; the page refreshes itself and shows the batch's progress
    expect(phone.get_by_text("1 dari 1 surat ditandatangani")).to_be_visible(timeout=60_000)
    screens.take(phone, "camat-signed")

    # 10. the citizen downloads the signed PDF from the same link
    citizen.goto(receipt_url)
    expect(citizen.locator(".badge").first).to_have_text("Selesai, surat dapat diunduh")
    assert_indonesian(citizen)
    screens.take(citizen, "citizen-issued")
    with citizen.expect_download() as download:
        citizen.get_by_role("link", name="Unduh surat (PDF bertanda tangan elektronik)").click()
    pdf = tmp_path / download.value.suggested_filename
    download.value.save_as(pdf)
    assert pdf.name == f"surat-{tracking_code}.pdf"
    assert pdf.read_bytes().startswith(b"%PDF") and b"ETSI.CAdES.detached" in pdf.read_bytes()

    # 11. the QR code printed on the letter opens the verification page: the letter is valid
    subprocess.run(["pdftoppm", "-png", "-r", "150", "-f", "1", "-l", "1", pdf, tmp_path / "page"], check=True)
    decoded = subprocess.run(
        ["zbarimg", "--quiet", "--raw", "-Sdisable", "-Sqrcode.enable", *tmp_path.glob("page*.png")],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert len(decoded) == 1 and re.fullmatch(r"https?://jetis\.localhost(:\d+)?/verifikasi/[0-9a-f-]{36}/", decoded[0])
    verify_url = re.sub(r"^https?://jetis\.localhost(:\d+)?", app_server.origin("jetis"), decoded[0])
    citizen.goto(verify_url)
    expect(citizen.locator("[data-status=valid]")).to_contain_text("SAH")
    expect(citizen.locator("body")).to_contain_text("3516********0002")  # the NIK, masked
    expect(citizen.locator("body")).not_to_contain_text("3516165203850002")
    assert_indonesian(citizen)
    assert axe_serious(citizen) == []
    screens.take(citizen, "citizen-verification-page")
