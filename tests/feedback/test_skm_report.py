"""The printable SKM report (PDF) of a period and service: read back with pypdf."""

import io

from pypdf import PdfReader

from sipentol.accounts.models import Role
from tests.accounts.staff import staff_client

from .conftest import add_responses


def _text(pdf: bytes) -> str:
    return " ".join(" ".join((page.extract_text() or "").split()) for page in PdfReader(io.BytesIO(pdf)).pages)


def test_the_report_pdf_carries_respondents_sample_both_weightings_grade_profile_and_follow_ups(jetis, domisili):
    # given three responses, all answers 3 (0.111 gives 74.93, grade C; 1/9 gives 75.00)
    add_responses(jetis, domisili, [3, 3, 3])
    camat = staff_client(jetis, "camat-lap", Role.CAMAT)

    page = camat.get(f"/kantor/skm/?layanan={domisili.pk}").content.decode()
    assert "/kantor/skm/laporan.pdf?dari=" in page and f"layanan={domisili.pk}" in page
    response = camat.get(f"/kantor/skm/laporan.pdf?layanan={domisili.pk}")

    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = _text(response.content)
    assert "LAPORAN SURVEI KEPUASAN MASYARAKAT" in text and domisili.name in text
    assert "74,93" in text or "74.93" in text
    assert "75,00" in text or "75.00" in text
    assert "C (Kurang Baik)" in text
    assert "Jumlah responden 3" in text and "Krejcie-Morgan" in text
    assert "Tidak diisi 3" in text  # the profile: nobody gave one


def test_the_report_pdf_is_refused_to_a_verifier_and_to_another_kecamatan(jetis, mojosari, domisili):
    verifier = staff_client(jetis, "verif-lap", Role.VERIFIER)
    other = staff_client(mojosari, "camat-lain", Role.CAMAT)
    assert verifier.get("/kantor/skm/laporan.pdf").status_code == 403
    # Mojosari's Camat prints Mojosari's report: Jetis's responses are not in it
    add_responses(jetis, domisili, [4])
    text = _text(other.get("/kantor/skm/laporan.pdf").content)
    assert "KECAMATAN MOJOSARI" in text.upper() and "Jumlah responden 0" in text
