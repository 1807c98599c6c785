"""store_upload against the suite's real SeaweedFS, inside Jetis's schema."""

from __future__ import annotations

import hashlib
import io
import os

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django_tenants.utils import tenant_context
from PIL import ExifTags, Image

from sipentol.lib import storage
from sipentol.lib.uploads import UploadRejected, store_upload

PHOTO_TYPES = ["jpg", "png", "pdf"]


# --- files a citizen's phone would produce ---------------------------------------------------


def phone_jpeg(size=(400, 300), orientation: int = 6) -> bytes:
    """Left half red, right half blue, with camera EXIF, GPS of Jetis and XMP, rotated by EXIF."""
    im = Image.new("RGB", size, "blue")
    im.paste((255, 0, 0), (0, 0, size[0] // 2, size[1]))
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = orientation
    exif[ExifTags.Base.Make] = "Xiaomi"
    exif[ExifTags.Base.Model] = "Redmi Note 13"
    exif[ExifTags.IFD.GPSInfo] = {
        ExifTags.GPS.GPSLatitudeRef: "S",
        ExifTags.GPS.GPSLatitude: (7.0, 28.0, 12.5),
        ExifTags.GPS.GPSLongitudeRef: "E",
        ExifTags.GPS.GPSLongitude: (112.0, 26.0, 3.0),
    }
    out = io.BytesIO()
    im.save(out, "JPEG", quality=90, exif=exif, xmp=b"<x:xmpmeta>lokasi rumah</x:xmpmeta>", comment=b"secret")
    return out.getvalue()


def noise_jpeg(size=(2000, 1500)) -> bytes:
    im = Image.frombytes("RGB", size, os.urandom(size[0] * size[1] * 3))
    out = io.BytesIO()
    im.save(out, "JPEG", quality=100)
    return out.getvalue()


def smooth_jpeg(size=(6000, 4000)) -> bytes:
    im = Image.linear_gradient("L").resize(size).convert("RGB")
    out = io.BytesIO()
    im.save(out, "JPEG", quality=90)
    return out.getvalue()


def pdf_bytes(pages: int = 2) -> bytes:
    first, *rest = [Image.new("RGB", (595, 842), "white") for _ in range(pages)]
    out = io.BytesIO()
    first.save(out, "PDF", save_all=True, append_images=rest)
    return out.getvalue()


def rewritten_pdf(edit) -> bytes:
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.pdf_utils.writer import copy_into_new_writer

    writer = copy_into_new_writer(PdfFileReader(io.BytesIO(pdf_bytes(1)), strict=False))
    edit(writer)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


class CountingReader(io.RawIOBase):
    """An upload stream that counts what was read from it (no seek: like a request body)."""

    def __init__(self, data: bytes):
        self._data = io.BytesIO(data)
        self.bytes_read = 0

    def readable(self) -> bool:
        return True

    def read(self, n: int = -1) -> bytes:
        chunk = self._data.read(n)
        self.bytes_read += len(chunk)
        return chunk


def stored_objects() -> int:
    return sum(1 for _ in storage.client().list_objects(settings.S3_BUCKET, prefix="jetis/", recursive=True))


def rejected(jetis, data: bytes, name: str = "ktp.jpg", *, label: str = "Foto KTP", types=None, **kw):
    with tenant_context(jetis), pytest.raises(UploadRejected) as exc:
        store_upload(io.BytesIO(data), original_name=name, label=label, accepted_types=types or PHOTO_TYPES, **kw)
    return exc.value


# --- photos ----------------------------------------------------------------------------------


def test_it_stores_a_phone_photo_without_gps_or_any_exif_and_upright(jetis):
    data = phone_jpeg()
    assert Image.open(io.BytesIO(data)).getexif().get_ifd(ExifTags.IFD.GPSInfo)  # the test photo has GPS

    with tenant_context(jetis):
        stored = store_upload(
            io.BytesIO(data), original_name="IMG_20260817.jpg", label="Foto KTP", accepted_types=["jpg"]
        )
        body = storage.get(stored.key)

    back = Image.open(io.BytesIO(body))
    assert back.format == "JPEG"
    assert not back.getexif()  # no EXIF at all: no GPS, no camera, no orientation tag
    assert "exif" not in back.info and "xmp" not in back.info and "comment" not in back.info
    assert b"Exif" not in body[:4096] and b"lokasi rumah" not in body and b"Xiaomi" not in body
    # orientation 6 applied: the 400x300 landscape is now 300x400, its left (red) half on top
    assert back.size == (300, 400) == (stored.width, stored.height)
    red, green, blue = back.convert("RGB").getpixel((150, 50))
    assert red > 200 and blue < 60
    red, green, blue = back.convert("RGB").getpixel((150, 350))
    assert blue > 200 and red < 60
    assert stored.content_type == "image/jpeg"
    assert stored.size == len(body) and stored.sha256 == hashlib.sha256(body).hexdigest()
    assert stored.key.startswith("jetis/") and "IMG" not in stored.key
    assert stored.original_name == "IMG_20260817.jpg"
    assert stored.pages is None


def test_it_downscales_a_large_photo_under_the_byte_limit_to_2500_px(jetis):
    data = smooth_jpeg((6000, 4000))
    assert len(data) < 5 * 1024 * 1024

    with tenant_context(jetis):
        stored = store_upload(io.BytesIO(data), original_name="kk.jpeg", label="Foto KK", accepted_types=["jpg"])
        back = Image.open(io.BytesIO(storage.get(stored.key)))

    assert back.size == (2500, 1667) == (stored.width, stored.height)
    assert stored.original_name == "kk.jpg"


def test_it_rejects_a_photo_over_5_mb_without_reading_it_all(jetis):
    data = noise_jpeg() + os.urandom(3 * 1024 * 1024)  # > 5 MB whatever the noise compresses to
    upload = CountingReader(data)

    with tenant_context(jetis):
        before = stored_objects()
        with pytest.raises(UploadRejected) as exc:
            store_upload(upload, original_name="ktp.jpg", label="Foto KTP", accepted_types=PHOTO_TYPES)
        assert stored_objects() == before

    assert exc.value.code == "too_large"
    assert exc.value.messages == [
        "Foto KTP terlalu besar (lebih dari 5 MB). "
        "Unggah foto di bawah 5 MB, misalnya dengan resolusi kamera lebih rendah."
    ]
    assert upload.bytes_read == 5 * 1024 * 1024 + 1


def test_it_tells_the_size_of_a_django_upload_that_is_too_large(jetis):
    upload = SimpleUploadedFile("ktp.jpg", noise_jpeg() + b"\0" * (7 * 1024 * 1024), content_type="image/jpeg")

    with tenant_context(jetis), pytest.raises(UploadRejected) as exc:
        store_upload(upload, original_name="ktp.jpg", label="Foto KTP", accepted_types=PHOTO_TYPES)

    size_mb = round(upload.size / 1024 / 1024)
    assert exc.value.messages[0].startswith(f"Foto KTP terlalu besar ({size_mb} MB). Unggah foto di bawah 5 MB")


def test_it_keeps_a_png_as_png_without_its_text_chunks(jetis):
    from PIL.PngImagePlugin import PngInfo

    info = PngInfo()
    info.add_text("Comment", "GPS -7.47 112.43")
    im = Image.new("RGBA", (300, 200), (0, 128, 0, 128))
    buf = io.BytesIO()
    im.save(buf, "PNG", pnginfo=info)

    with tenant_context(jetis):
        stored = store_upload(
            io.BytesIO(buf.getvalue()), original_name="ttd.png", label="Tanda tangan", accepted_types=["png"]
        )
        body = storage.get(stored.key)

    back = Image.open(io.BytesIO(body))
    assert back.format == "PNG" and back.mode == "RGBA" and back.size == (300, 200)
    assert b"GPS" not in body and "Comment" not in back.info
    assert stored.content_type == "image/png"


def test_it_rejects_an_html_file_renamed_ktp_jpg_and_stores_nothing(jetis):
    html = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"
    with tenant_context(jetis):
        before = stored_objects()
        with pytest.raises(UploadRejected) as exc:
            store_upload(io.BytesIO(html), original_name="ktp.jpg", label="Foto KTP", accepted_types=PHOTO_TYPES)
        assert stored_objects() == before

    assert exc.value.code == "wrong_type"
    assert exc.value.messages == [
        "Berkas Foto KTP harus berupa JPG, PNG atau PDF. Berkas yang Anda pilih bukan JPG, PNG atau PDF; "
        "unggah berkas lain."
    ]


@pytest.mark.parametrize(
    "data",
    [
        b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"></svg>',
        b"MZ\x90\x00\x03" + b"\x00" * 200,
        b"GIF89a" + b"\x01\x00\x01\x00\x00\x00\x00;",
        b"just some text pretending to be a photo",
    ],
    ids=["svg", "exe", "gif", "text"],
)
def test_it_rejects_other_content_whatever_its_name(jetis, data):
    assert rejected(jetis, data, "ktp.jpg").code == "wrong_type"


def test_it_rejects_a_pdf_where_only_photos_are_accepted(jetis):
    err = rejected(jetis, pdf_bytes(1), "pasfoto.pdf", label="Pas foto", types=["jpg", "png"])

    assert err.code == "wrong_type"
    assert "harus berupa JPG atau PNG" in err.messages[0]


def test_it_rejects_a_truncated_photo(jetis):
    data = phone_jpeg((1200, 900))
    err = rejected(jetis, data[: len(data) // 2])

    assert err.code == "unreadable"
    assert "tidak dapat dibaca" in err.messages[0]


def test_it_rejects_an_empty_file(jetis):
    assert rejected(jetis, b"").code == "empty"


# --- PDFs ------------------------------------------------------------------------------------


def test_it_stores_a_pdf_as_it_is_and_counts_its_pages(jetis):
    data = pdf_bytes(3)

    with tenant_context(jetis):
        stored = store_upload(
            io.BytesIO(data),
            original_name="../../etc/Surat\u202epdf.exe Pengantar RT.pdf",
            label="Surat pengantar RT",
            accepted_types=["application/pdf"],
        )
        body = storage.get(stored.key)

    assert body == data
    assert stored.pages == 3 and stored.content_type == "application/pdf"
    assert stored.width is None and stored.height is None
    assert stored.original_name == "Suratpdf.exe Pengantar RT.pdf"  # no path, no right-to-left override


def test_it_rejects_an_encrypted_pdf(jetis):
    data = rewritten_pdf(lambda w: w.encrypt("pemilik", "rahasia"))

    err = rejected(jetis, data, "akta.pdf", label="Akta kelahiran")

    assert err.code == "encrypted"
    assert err.messages[0].startswith("PDF Akta kelahiran dikunci dengan kata sandi")


def test_it_rejects_a_pdf_that_runs_javascript(jetis):
    from pyhanko.pdf_utils import generic

    def add_script(writer):
        writer.root["/OpenAction"] = generic.DictionaryObject(
            {
                generic.NameObject("/S"): generic.NameObject("/JavaScript"),
                generic.NameObject("/JS"): generic.TextStringObject("app.alert('x')"),
            }
        )

    err = rejected(jetis, rewritten_pdf(add_script), "surat.pdf", label="Surat")

    assert err.code == "active_content"


def test_it_rejects_a_pdf_without_its_end(jetis):
    data = pdf_bytes(1)
    assert rejected(jetis, data[: len(data) - 200], "surat.pdf").code == "unreadable"


def test_it_rejects_a_pdf_over_10_mb(jetis):
    data = pdf_bytes(1)
    data = data[:20] + b"%" + os.urandom(11 * 1024 * 1024).replace(b"\n", b" ").replace(b"\r", b" ") + b"\n" + data[20:]

    err = rejected(jetis, data, "scan.pdf", label="Scan KK")

    assert err.code == "too_large"
    assert err.messages[0].startswith("PDF Scan KK terlalu besar (lebih dari 10 MB). Unggah PDF di bawah 10 MB")


# --- tenancy ---------------------------------------------------------------------------------


def test_it_keeps_another_kecamatans_upload_unreadable(jetis, mojosari):
    with tenant_context(jetis):
        stored = store_upload(
            io.BytesIO(phone_jpeg()), original_name="ktp.jpg", label="Foto KTP", accepted_types=["jpg"]
        )

    with tenant_context(mojosari), pytest.raises(storage.ForeignKeyError):
        storage.get(stored.key)
    with tenant_context(jetis):
        assert storage.exists(stored.key)


def test_it_refuses_to_run_outside_a_kecamatan(db):
    with pytest.raises(RuntimeError):
        store_upload(io.BytesIO(phone_jpeg()), original_name="ktp.jpg", label="Foto KTP", accepted_types=["jpg"])


def test_it_asks_for_jpg_when_a_heic_photo_cannot_be_read_here(jetis):
    heic = b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + b"\x00" * 512

    err = rejected(jetis, heic, "IMG_0001.HEIC")

    assert err.code == "heic_unsupported"
    assert "Ubah ke JPG" in err.messages[0]


def test_it_rejects_a_png_with_absurd_dimensions_before_decoding_it(jetis):
    buf = io.BytesIO()
    Image.new("1", (6000, 5000)).save(buf, "PNG")  # 30 megapixels in a few kilobytes
    assert len(buf.getvalue()) < 100 * 1024

    err = rejected(jetis, buf.getvalue(), "scan.png")

    assert err.code == "too_many_pixels"
    assert "6000 x 5000 piksel" in err.messages[0]


def test_it_rejects_a_pdf_that_launches_a_program(jetis):
    from pyhanko.pdf_utils import generic

    def add_launch(writer):
        writer.root["/OpenAction"] = generic.DictionaryObject(
            {
                generic.NameObject("/S"): generic.NameObject("/Launch"),
                generic.NameObject("/F"): generic.TextStringObject("cmd.exe"),
            }
        )

    assert rejected(jetis, rewritten_pdf(add_launch), "surat.pdf").code == "active_content"


def test_it_rejects_a_pdf_whose_script_hides_in_a_compressed_object_stream(jetis):
    from pyhanko.pdf_utils import generic

    def add_hidden_script(writer):
        writer.stream_xrefs = True
        objects = writer.prepare_object_stream(compress=True)
        action = writer.add_object(
            generic.DictionaryObject(
                {
                    generic.NameObject("/S"): generic.NameObject("/JavaScript"),
                    generic.NameObject("/JS"): generic.TextStringObject("app.alert('x')"),
                }
            ),
            obj_stream=objects,
        )
        writer.root["/OpenAction"] = action

    data = rewritten_pdf(add_hidden_script)
    assert b"/JavaScript" not in data  # invisible to a byte scan

    assert rejected(jetis, data, "surat.pdf").code == "active_content"


def test_it_rejects_a_truncated_photo_even_after_weasyprint_was_imported(jetis):
    import weasyprint  # noqa: F401 - its import flips Pillow's LOAD_TRUNCATED_IMAGES on
    from PIL import ImageFile

    ImageFile.LOAD_TRUNCATED_IMAGES = True
    data = phone_jpeg((1200, 900))

    assert rejected(jetis, data[: len(data) // 2]).code == "unreadable"


def _bomb_png(width: int = 20_000, height: int = 20_000) -> bytes:
    """A 1-bit PNG of width x height white pixels: a few dozen KB on disk, 400 million pixels."""
    import struct
    import zlib

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    row = b"\x00" + b"\xff" * ((width + 7) // 8)
    pack = zlib.compressobj(9)
    idat = b"".join(pack.compress(row) for _ in range(height)) + pack.flush()
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


def test_it_calls_a_decompression_bomb_png_too_large_in_resolution_not_damaged(jetis):
    data = _bomb_png()
    before = stored_objects()

    err = rejected(jetis, data, "ktp.png")

    assert len(data) < 1024 * 1024
    assert err.code == "too_many_pixels"
    assert err.messages[0] == (
        "Resolusi foto Foto KTP terlalu besar (400.000.000 piksel). Unggah foto dengan resolusi lebih kecil."
    )
    assert stored_objects() == before
