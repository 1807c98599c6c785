"""Upload safety against real servers: the suite's clamd (EICAR signature DB) and SeaweedFS, and
PDFs built with pypdf the way an attacker would write them."""

from __future__ import annotations

import io
import zipfile

import pytest
from django_tenants.utils import tenant_context
from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    FloatObject,
    NameObject,
    NumberObject,
    TextStringObject,
)

from sipentol.lib import antivirus, storage
from sipentol.lib.uploads import store_upload
from sipentol_devtools.embedded import EICAR
from tests.lib.test_uploads import pdf_bytes, phone_jpeg, rejected, stored_objects

VIRUS_MESSAGE = "terdeteksi mengandung virus/malware"


def hostile_pdf(edit) -> bytes:
    """A one-page scanned PDF changed by `edit(writer, page)`, written with pypdf.

    A name written `/JQQQvaScript` is turned into `/J#61vaScript` in the bytes (same length, so
    the cross-reference offsets stay right): pypdf itself would write `#` as `#23`.
    """
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf_bytes(1))))
    edit(writer, writer.pages[0])
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue().replace(b"/JQQQvaScript", b"/J#61vaScript")


def script(name: str = "/JavaScript") -> DictionaryObject:
    return DictionaryObject(
        {NameObject("/S"): NameObject(name), NameObject("/JS"): TextStringObject("app.alert('pwned')")}
    )


def rect() -> ArrayObject:
    return ArrayObject([FloatObject(50), FloatObject(50), FloatObject(250), FloatObject(80)])


def with_escaped_script_chained_from_open_action(writer, page):
    chained = script("/JQQQvaScript")
    goto = DictionaryObject(
        {
            NameObject("/S"): NameObject("/GoTo"),
            NameObject("/D"): ArrayObject([page.indirect_reference, NameObject("/Fit")]),
            NameObject("/Next"): writer._add_object(chained),
        }
    )
    writer._root_object[NameObject("/OpenAction")] = writer._add_object(goto)


def with_script_on_a_form_field_widget(writer, page):
    widget = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Annot"),
            NameObject("/Subtype"): NameObject("/Widget"),
            NameObject("/Rect"): rect(),
            NameObject("/FT"): NameObject("/Tx"),
            NameObject("/T"): TextStringObject("nama"),
            NameObject("/P"): page.indirect_reference,
            NameObject("/AA"): DictionaryObject({NameObject("/Fo"): writer._add_object(script("/JQQQvaScript"))}),
        }
    )
    ref = writer._add_object(widget)
    # only in the form's field tree, not in the page's /Annots; the name escaped as in the defect
    writer._root_object[NameObject("/AcroForm")] = DictionaryObject({NameObject("/Fields"): ArrayObject([ref])})


def with_a_javascript_name_tree(writer, page):
    tree = DictionaryObject(
        {NameObject("/Names"): ArrayObject([TextStringObject("init"), writer._add_object(script())])}
    )
    writer._root_object[NameObject("/Names")] = DictionaryObject({NameObject("/JavaScript"): writer._add_object(tree)})


def with_a_page_open_action(writer, page):
    page[NameObject("/AA")] = DictionaryObject({NameObject("/O"): writer._add_object(script())})


def with_a_submit_form_action_on_a_link(writer, page):
    action = DictionaryObject(
        {
            NameObject("/S"): NameObject("/SubmitForm"),
            NameObject("/F"): TextStringObject("https://attacker.example/"),
        }
    )
    link = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Annot"),
            NameObject("/Subtype"): NameObject("/Link"),
            NameObject("/Rect"): rect(),
            NameObject("/A"): action,
        }
    )
    page[NameObject("/Annots")] = ArrayObject([writer._add_object(link)])


def with_a_harmless_web_link(writer, page):
    link = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Annot"),
            NameObject("/Subtype"): NameObject("/Link"),
            NameObject("/Rect"): rect(),
            NameObject("/Border"): ArrayObject([NumberObject(0), NumberObject(0), NumberObject(0)]),
            NameObject("/A"): DictionaryObject(
                {
                    NameObject("/S"): NameObject("/URI"),
                    NameObject("/URI"): TextStringObject("https://mojokertokab.go.id/"),
                }
            ),
        }
    )
    page[NameObject("/Annots")] = ArrayObject([writer._add_object(link)])


# --- PDF scripts and automatic actions -------------------------------------------------------


@pytest.fixture
def pdf_check_alone(settings):
    """No scanner, so that what refuses is the PDF check itself: clamd's PDF heuristics flag some
    of these samples too (an obfuscated name), which would hide a gap in the check."""
    settings.CLAMD_URL = ""


def test_it_builds_the_escaped_sample_as_an_attacker_writes_it():
    data = hostile_pdf(with_escaped_script_chained_from_open_action)

    assert b"/J#61vaScript" in data and b"/JavaScript" not in data
    action = PdfReader(io.BytesIO(data)).trailer["/Root"]["/OpenAction"]["/Next"]
    assert action["/S"] == "/JavaScript"  # what a viewer reads after decoding the name


@pytest.mark.parametrize(
    "edit",
    [
        with_escaped_script_chained_from_open_action,
        with_script_on_a_form_field_widget,
        with_a_javascript_name_tree,
        with_a_page_open_action,
        with_a_submit_form_action_on_a_link,
    ],
)
def test_it_refuses_a_pdf_with_a_script_or_automatic_action_and_stores_nothing(jetis, pdf_check_alone, edit):
    with tenant_context(jetis):
        before = stored_objects()

    err = rejected(jetis, hostile_pdf(edit), "surat.pdf", label="Surat pengantar RT")

    assert err.code == "active_content"
    assert err.messages[0].startswith(
        "PDF Surat pengantar RT berisi skrip, lampiran berkas, atau tindakan otomatis yang tidak diizinkan."
    )
    with tenant_context(jetis):
        assert stored_objects() == before


def test_it_refuses_a_script_chained_by_next_inside_a_compressed_object_stream(jetis, pdf_check_alone):
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.pdf_utils.writer import copy_into_new_writer

    writer = copy_into_new_writer(PdfFileReader(io.BytesIO(pdf_bytes(1)), strict=False))
    writer.stream_xrefs = True
    objects = writer.prepare_object_stream(compress=True)
    js = generic.DictionaryObject(
        {
            generic.NameObject("/S"): generic.NameObject("/JavaScript"),
            generic.NameObject("/JS"): generic.TextStringObject("app.alert(1)"),
        }
    )
    goto = generic.DictionaryObject(
        {
            generic.NameObject("/S"): generic.NameObject("/GoTo"),
            generic.NameObject("/D"): generic.ArrayObject(
                [writer.root["/Pages"]["/Kids"][0], generic.NameObject("/Fit")]
            ),
            generic.NameObject("/Next"): writer.add_object(js, obj_stream=objects),
        }
    )
    writer.root["/OpenAction"] = writer.add_object(goto, obj_stream=objects)
    out = io.BytesIO()
    writer.write(out)
    assert b"JavaScript" not in out.getvalue()  # invisible to the byte scan: the walk finds it

    assert rejected(jetis, out.getvalue(), "surat.pdf").code == "active_content"


def test_it_refuses_the_escaped_script_sample_with_clamd_running_too(jetis):
    err = rejected(jetis, hostile_pdf(with_escaped_script_chained_from_open_action), "surat.pdf")

    assert err.code in {"infected", "active_content"}  # clamd's heuristics may name it first


@pytest.mark.parametrize("data", [pytest.param("link", id="web-link"), pytest.param("scan", id="plain-scan")])
def test_it_stores_an_ordinary_pdf_byte_for_byte(jetis, data):
    data = hostile_pdf(with_a_harmless_web_link) if data == "link" else pdf_bytes(2)

    with tenant_context(jetis):
        stored = store_upload(io.BytesIO(data), original_name="surat.pdf", label="Surat", accepted_types=["pdf"])
        assert storage.get(stored.key) == data

    assert stored.scan_status == antivirus.CLEAN


# --- antivirus (the suite's clamd) -----------------------------------------------------------


def pdf_carrying_eicar_in_a_stream() -> bytes:
    from pypdf.generic import StreamObject

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf_bytes(1))))
    stream = StreamObject()
    stream.set_data(EICAR)
    writer.pages[0][NameObject("/PieceInfo")] = writer._add_object(stream)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def zipped_eicar() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("ktp.txt", EICAR)
    return out.getvalue()


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("ktp.jpg", EICAR),
        ("surat.pdf", EICAR),
        ("surat.pdf", pdf_bytes(1) + b"\n" + EICAR + b"\n"),
        ("surat.pdf", pdf_carrying_eicar_in_a_stream()),
        ("ktp.pdf", zipped_eicar()),
    ],
    ids=["eicar-as-jpg", "eicar-as-pdf", "appended-to-a-pdf", "inside-a-pdf-stream", "zip-renamed-pdf"],
)
def test_it_refuses_a_file_with_a_virus_and_stores_nothing(jetis, name, data):
    with tenant_context(jetis):
        before = stored_objects()

    err = rejected(jetis, data, name, label="Foto KTP")

    assert err.code == "infected"
    assert err.messages[0].startswith("Berkas Foto KTP terdeteksi mengandung virus/malware (")
    assert err.messages[0].endswith(
        "dan tidak disimpan. Periksa perangkat Anda dengan antivirus, lalu unggah berkas lain yang bersih."
    )
    with tenant_context(jetis):
        assert stored_objects() == before


def test_it_refuses_a_clean_zip_renamed_pdf_as_the_wrong_type(jetis):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        zf.writestr("surat.txt", "Surat pengantar")

    err = rejected(jetis, out.getvalue(), "surat.pdf", label="Surat")

    assert err.code == "wrong_type"
    assert VIRUS_MESSAGE not in err.messages[0]


# --- clamd down: kept, pending, scanned later --------------------------------------------------


def test_it_keeps_an_upload_as_pending_while_clamd_is_down_and_scans_it_when_it_is_back(jetis, stoppable_clamd):
    # given
    stoppable_clamd.stop()
    data = phone_jpeg()

    # when
    with tenant_context(jetis):
        stored = store_upload(io.BytesIO(data), original_name="ktp.jpg", label="Foto KTP", accepted_types=["jpg"])

    # then
    assert stored.scan_status == antivirus.PENDING
    with tenant_context(jetis):
        assert storage.exists(stored.key)
        with pytest.raises(antivirus.ScannerUnavailable):
            antivirus.scan_stored(stored.key)
        stoppable_clamd.start()
        assert antivirus.scan_stored(stored.key).infected is False


def test_it_keeps_an_upload_pending_when_no_clamd_is_configured(jetis, settings):
    settings.CLAMD_URL = ""

    with tenant_context(jetis):
        stored = store_upload(io.BytesIO(pdf_bytes(1)), original_name="a.pdf", label="Surat", accepted_types=["pdf"])

    assert stored.scan_status == antivirus.PENDING
