"""The whole journey in a real browser: a citizen on a phone applies for Surat Keterangan Domisili,
a verifier asks for one document again, the citizen redoes it from the link, the verifier verifies.

One test, steps in order, a screenshot after each (test-artifacts/screenshots/journey/, and
docs/screenshots/ with UPDATE_SCREENSHOTS=1).
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from sipentol.accounts.models import Role

from .conftest import Screens, english_words, new_context, phone_photo, staff_sign_in

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


def test_it_runs_the_citizen_and_verifier_journey(browser, app_server, make_staff, tmp_path):
    screens = Screens("journey")
    verifier = make_staff("jetis", "rina.verifikator", Role.VERIFIER, "Rina", "Wulandari")
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

    # 3. the verifier signs in (password + TOTP) and opens the application from the queue
    staff_ctx = new_context(browser, phone=False)
    staff = staff_ctx.new_page()
    staff_sign_in(staff, app_server, verifier, screens)
    expect(staff.get_by_role("link", name=tracking_code)).to_be_visible()
    screens.take(staff, "verifier-queue")
    staff.get_by_role("link", name=tracking_code).click()
    expect(staff.get_by_role("heading", level=1)).to_contain_text(tracking_code)
    expect(staff.locator("body")).to_contain_text("3516165203850002")  # staff see the full NIK

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
    screens.take(citizen, "citizen-completion-form")
    citizen.get_by_role("button", name="Kirim perbaikan").click()
    citizen.wait_for_url(receipt_url)
    expect(citizen.locator(".messages")).to_contain_text("berkas perbaikan sudah kami terima")
    expect(citizen.locator(".badge").first).to_have_text("Sudah dilengkapi, menunggu pemeriksaan ulang")
    assert_indonesian(citizen)
    screens.take(citizen, "citizen-resubmitted")

    # 6. the verifier accepts the new KTP and verifies the application
    staff.reload()
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

    staff_ctx.close()
    citizen_ctx.close()
