"""Every default letter says what the citizen entered: its `data.X` are the service's form fields."""

from __future__ import annotations

import re
import uuid
from pathlib import Path

import pytest
from django.utils import translation
from django_tenants.utils import tenant_context

from services_catalog.data.standards import SERVICES
from sipentol.applications.forms import APPLICANT_COLUMNS, ApplicationForm
from sipentol.applications.services import LETTER_EXTRA_KEYS, letter_subject_data
from sipentol.docengine.render import compile_body
from sipentol.letters.catalog import DEFAULT_LETTERS

from .conftest import pdf_text

TEMPLATES_DIR = Path(__file__).resolve().parents[2] / "platform" / "sipentol" / "letters" / "templates_default"
DATA_VAR = re.compile(r"\bdata\.(\w+)")
SERVICES_BY_CODE = {s["code"]: s for s in SERVICES}


def keys_a_letter_can_use(service: dict) -> set[str]:
    # Fields stored in their own columns (telepon, email...) are not in Application.data;
    # letter_subject_data puts back the ones a letter may print (nama, nik, desa name).
    names = {f["name"] for f in service["form_fields"]}
    return (names - set(APPLICANT_COLUMNS)) | set(LETTER_EXTRA_KEYS)


def test_it_has_a_default_letter_for_every_catalog_service():
    assert set(DEFAULT_LETTERS) == set(SERVICES_BY_CODE)
    assert {p.stem for p in TEMPLATES_DIR.glob("*.html")} == set(DEFAULT_LETTERS)


@pytest.mark.parametrize("code", sorted(SERVICES_BY_CODE))
def test_it_fills_every_letter_value_from_the_service_form(code):
    html = (TEMPLATES_DIR / f"{code}.html").read_text()
    compile_body(html)  # the sandbox accepts it (filters such as |tanggal exist)

    used = set(DATA_VAR.findall(html))
    unknown = used - keys_a_letter_can_use(SERVICES_BY_CODE[code])

    assert used, code
    assert not unknown, (
        f"{code}.html uses data.{', data.'.join(sorted(unknown))}, which the {code} form does not ask: "
        "rename to the form field, or add the field to services_catalog/data"
    )


@pytest.mark.parametrize(
    ("template", "data", "expected"),
    [
        ("{{ data.d|tanggal }}", {"d": "2026-12-20"}, "20 Desember 2026"),
        ("{{ data.d|tanggal }}", {"d": "2026-08-01"}, "1 Agustus 2026"),
        ("{{ data.d|tanggal }}", {"d": "besok pagi"}, "besok pagi"),
        ("[{{ data.missing|tanggal }}]", {}, "[]"),
        ("{{ data.d|tanggal }}", {"d": "<b>2026</b>"}, "&lt;b&gt;2026&lt;/b&gt;"),
        ("{{ data.n|rupiah }}", {"n": 900000}, "Rp900.000"),
        ("{{ data.n|rupiah }}", {"n": "sekitar satu juta"}, "sekitar satu juta"),
        (
            "{% for p in data.t|daftar_orang %}{{ p.nama }}|{{ p.nik }}|{{ p.hubungan }};{% endfor %}",
            {"t": "Siti Aminah, S.Pd., 3516165203850002, istri\n\nBagus, anak kandung\n"},
            "Siti Aminah, S.Pd.|3516165203850002|istri;Bagus||anak kandung;",
        ),
    ],
)
def test_it_writes_form_values_the_way_a_letter_does(template, data, expected):
    from django.template import Context

    with translation.override("en"):  # a staff member with the English UI still gets an Indonesian letter
        assert compile_body(template).render(Context({"data": data}, autoescape=True)) == expected


def test_it_puts_what_the_citizen_entered_into_the_domisili_letter(letters_env):
    from services_catalog.configured.models import KecamatanService
    from sipentol.applications.models import Application
    from sipentol.letters.services import letter_draft
    from sipentol.lib import storage

    entered = {
        "nama": "Ahmad Fauzi Rahman",
        "nik": "3516161203850001",  # Jetis, born 12-03-1985
        "no_kk": "3516160101090003",
        "tempat_lahir": "Mojokerto",
        "tanggal_lahir": "1985-03-12",
        "jenis_kelamin": "Laki-laki",
        "pekerjaan": "Karyawan swasta",
        "agama": "Islam",
        "status_perkawinan": "Kawin",
        "desa": "35.16.16.2007",
        "alamat": "Dusun Kedungsari RT 002 RW 001",
        "telepon": "0812-3456-7890",
        "alamat_domisili": "Perumahan Griya Permata Blok C-12 RT 004 RW 003",
        "tinggal_sejak": "2017",
        "keperluan": "melamar pekerjaan di PT Ajinomoto Mojokerto",
        "idempotency_key": str(uuid.uuid4()),
    }
    with tenant_context(letters_env.kecamatan):
        # given the citizen's answers, stored exactly as the application form stores them
        service = KecamatanService.objects.get(catalog_code="domisili")
        form = ApplicationForm(entered, service=service, kecamatan=letters_env.kecamatan, draft=True)
        assert form.is_valid(), form.errors
        applicant, data = form.split()
        application = Application(service=service, tracking_code="JTS-2612-7K3Q", data=data, **applicant)

        # when staff draft the letter
        letter = letter_draft(
            application_id=None,
            service_slug="domisili",
            holder_name=application.applicant_name,
            holder_nik=application.applicant_nik,
            subject_data=letter_subject_data(application),
            actor=letters_env.verifier,
        )
        text = " ".join(pdf_text(storage.get(letter.pdf_key)).split())

    # then the letter says what was entered, dates written out
    for value in (
        "Ahmad Fauzi Rahman",
        "3516161203850001",
        "Mojokerto, 12 Maret 1985",
        "Karyawan swasta",
        "Islam",
        "Desa Mojorejo",
        "Perumahan Griya Permata Blok C-12 RT 004 RW 003",
        "sejak tahun 2017",
        "melamar pekerjaan di PT Ajinomoto Mojokerto",
    ):
        assert value in text, value
    assert "1985-03-12" not in text


def test_it_refreshes_unedited_templates_but_keeps_an_admins_edit(jetis):
    from django.contrib.auth import get_user_model
    from django_tenants.utils import tenant_context

    from sipentol.letters.models import LetterTemplate
    from sipentol.letters.services import letter_templates_init

    with tenant_context(jetis):
        letter_templates_init()
        LetterTemplate.objects.filter(service_slug="sktm").update(html="<p>lama</p>")
        edited = LetterTemplate.objects.get(service_slug="domisili")
        edited.html = "<p>suntingan admin</p>"
        edited.updated_by = get_user_model().objects.create_user("admin-templat")
        edited.save()

        letter_templates_init()

        assert LetterTemplate.objects.get(service_slug="sktm").html != "<p>lama</p>"
        assert LetterTemplate.objects.get(service_slug="domisili").html == "<p>suntingan admin</p>"
