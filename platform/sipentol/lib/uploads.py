"""Citizens' uploads (photos of a KTP, scanned letters) checked, cleaned and streamed to storage.

What `store_upload` guarantees, whatever the browser claims:

- The type is decided by the CONTENT (libmagic, then Pillow / a PDF parser), never by the file
  name or the request's Content-Type: an HTML, SVG or EXE file renamed `ktp.jpg` is refused.
- The size limit is enforced while reading: at most limit + 1 byte is read, whatever
  Content-Length said. The limit applies to the bytes uploaded (5 MB per photo, 10 MB per
  PDF by default); a photo under the byte limit but with huge dimensions is downscaled.
- Photos are decoded and re-encoded: EXIF orientation applied, then ALL metadata dropped
  (EXIF incl. GPS, XMP, comments; the ICC colour profile is kept), longest side at most
  2500 px, JPEG quality 85. A PNG stays PNG unless it is then still over the limit (a photo
  saved as PNG), when it becomes JPEG. Whatever was hidden after or inside the image is gone.
- Every upload is scanned by clamd (`sipentol.lib.antivirus`) before anything else is decided:
  malware is refused (whatever its type, so a renamed zip carrying a virus is named as such)
  and nothing is stored. When clamd cannot answer, the file goes on through the checks and is
  stored with `scan_status` PENDING: the caller must keep it from everyone until a later scan.
- PDFs are stored byte for byte after checks: header and `%%EOF` trailer, parseable, not
  encrypted, at least one page, and no active content: scripts, automatic actions (`/AA`),
  launch / submit-form / import-data / embedded-go-to actions, embedded files, XFA. First a
  byte scan (names also in their `#xx`-escaped spelling), then a walk over every object
  reachable from the trailer, with names as the parser decodes them, which follows `/Next`
  chains, form fields and name trees and sees compressed object streams. Refused rather than
  rewritten, so that what staff open is exactly what the citizen sent (signatures intact).
- Memory stays bounded: bytes go through a SpooledTemporaryFile (in memory up to 256 KB, then
  on disk) and on to `sipentol.lib.storage.put` with a known length. The minio SDK reads the
  object in 5 MiB parts (S3's minimum) with `num_parallel_uploads=1`; measured: 9 MB of heap
  for a 9 MB PDF, which is the SDK's part buffers (`make bench`). The PDF check parses the
  spooled file through a memory map and never copies a stream's payload (images, page
  contents) into the heap, so it costs the parser's objects, not the PDF's size (`make bench`,
  tests/bench/test_upload_memory.py: 0.14 MB for a 9 MB PDF). Image
  decoding needs the pixels: JPEGs are decoded at a reduced scale (libjpeg draft mode) when
  they will be downscaled anyway, and the pixel count is capped.
- The key is `{schema}/{uuid}` from the storage adapter; the user's file name is only kept,
  sanitised, as `original_name` (with the extension of what was stored).

Must run inside a kecamatan's schema (the storage adapter keys objects by schema).
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import logging
import math
import mmap
import re
import unicodedata
from dataclasses import dataclass
from tempfile import SpooledTemporaryFile
from typing import IO, BinaryIO

from django.core.exceptions import ValidationError
from django.db import connection
from django.utils.translation import gettext as _
from django_tenants.utils import get_public_schema_name

from sipentol.lib import antivirus, storage

log = logging.getLogger(__name__)
MB = 1024 * 1024
CHUNK = 64 * 1024
SPOOL_IN_MEMORY = 256 * 1024
SNIFF_BYTES = 16 * 1024
MAX_SIDE = 2500
JPEG_QUALITY = 85
# Decoded pixels cost memory (3-4 bytes each): a JPEG is decoded at 1/2..1/8 scale when it is
# downscaled anyway, a PNG is decoded in full.
MAX_JPEG_PIXELS = 120_000_000
MAX_PNG_PIXELS = 25_000_000  # ~100 MB as RGBA; an A4 scan at 300 dpi is 8.7 MP

JPEG = "image/jpeg"
PNG = "image/png"
PDF = "application/pdf"
HEIC = "image/heic"

_ALIASES = {
    "jpg": JPEG,
    "jpeg": JPEG,
    ".jpg": JPEG,
    ".jpeg": JPEG,
    JPEG: JPEG,
    "image/jpg": JPEG,
    "png": PNG,
    ".png": PNG,
    PNG: PNG,
    "pdf": PDF,
    ".pdf": PDF,
    PDF: PDF,
}
_MAGIC_TO_TYPE = {
    "image/jpeg": JPEG,
    "image/png": PNG,
    "application/pdf": PDF,
    "image/heic": HEIC,
    "image/heif": HEIC,
    "image/heic-sequence": HEIC,
    "image/heif-sequence": HEIC,
}
_TYPE_LABEL = {JPEG: "JPG", PNG: "PNG", PDF: "PDF"}
_EXTENSION = {JPEG: "jpg", PNG: "png", PDF: "pdf"}
# PDF names that run code, other programs, or send or pull data. In the file a name's characters
# may be written as `#xx` (`/J#61vaScript` is `/JavaScript`): the byte scan matches both forms;
# a name ends at whitespace or a delimiter. The short `/JS` key is left out of the byte scan
# because three bytes turn up by chance in a few percent of 10 MB compressed scans (the parsed
# walk below checks it).
_ACTIVE_NAMES = ("JavaScript", "Launch", "RichMedia", "SubmitForm", "ImportData", "GoToE")


def _escapable(name: str) -> bytes:
    """A regex matching `name` with any of its characters written as `#xx` (either hex case)."""
    parts = []
    for ch in name:
        hex_digits = "".join(f"[{d.lower()}{d.upper()}]" if d.isalpha() else d for d in f"{ord(ch):02x}")
        parts.append(f"(?:{re.escape(ch)}|#{hex_digits})")
    return "".join(parts).encode()


_ACTIVE_PDF = re.compile(rb"/(?:" + b"|".join(_escapable(n) for n in _ACTIVE_NAMES) + rb")(?=[\s()<>\[\]{}/%])")


@dataclass
class StoredUpload:
    key: str
    content_type: str
    size: int
    sha256: str
    original_name: str
    width: int | None
    height: int | None
    pages: int | None
    # antivirus.CLEAN, or antivirus.PENDING: clamd could not answer; the file must not be shown
    # or used until a later scan (antivirus.scan_stored) says it is clean.
    scan_status: str


class UploadRejected(ValidationError):
    """An upload refused for a reason the citizen can fix; the message says how (Bahasa Indonesia)."""

    def __init__(self, message: str, *, code: str):
        super().__init__(message, code=code)


def store_upload(
    fileobj: IO[bytes],
    *,
    original_name: str,
    label: str,
    accepted_types: list[str],
    max_image_mb: int = 5,
    max_pdf_mb: int = 10,
) -> StoredUpload:
    """Check, clean and store one uploaded file; raise UploadRejected with a message to show.

    `accepted_types` takes MIME types or extensions: "image/jpeg"/"jpg", "image/png"/"png",
    "application/pdf"/"pdf". A HEIC photo counts as a JPG photo (converted when Pillow can
    read HEIC on this machine, else refused with a message asking for JPG). `label` names the
    requirement in messages ("Foto KTP"). Nothing is stored when the upload is refused.
    """
    schema = connection.schema_name
    if not schema or schema == get_public_schema_name():
        raise RuntimeError("store_upload must run inside a kecamatan schema (tenant_context / tenant request)")
    accepted = _normalise_types(accepted_types)
    if hasattr(fileobj, "seek"):
        with contextlib.suppress(OSError, ValueError):  # a pipe or socket: read from where it is
            fileobj.seek(0)

    head = _read_up_to(fileobj, SNIFF_BYTES)
    if not head:
        raise UploadRejected(
            _("Berkas %(label)s kosong (0 byte). Pilih berkas lain lalu unggah lagi.") % {"label": label},
            code="empty",
        )
    kind = _detect(head)
    acceptable = kind in accepted or (kind == HEIC and JPEG in accepted)
    # A file of a refused type is still read (within the larger limit) and scanned first, so
    # that malware named `ktp.jpg` is reported as malware, not as a wrong type.
    limit_mb = (max_pdf_mb if kind == PDF else max_image_mb) if acceptable else max(max_pdf_mb, max_image_mb)
    with SpooledTemporaryFile(max_size=SPOOL_IN_MEMORY) as raw:
        raw.write(head)
        size = _copy_limited(fileobj, raw, already=len(head), limit=limit_mb * MB)
        if size > limit_mb * MB:
            _check_accepted(kind, accepted, label)
            raise _too_large(kind, label, limit_mb, getattr(fileobj, "size", None))
        raw.seek(0)
        scan_status = _scan(raw, label)
        _check_accepted(kind, accepted, label)
        raw.seek(0)
        if kind == PDF:
            pages = _check_pdf(raw, size, label)
            raw.seek(0)
            return _put(raw, PDF, original_name, width=None, height=None, pages=pages, scan_status=scan_status)
        with _reencode_image(raw, kind, label, limit=limit_mb * MB) as (out, content_type, width, height):
            return _put(
                out, content_type, original_name, width=width, height=height, pages=None, scan_status=scan_status
            )


def _scan(raw: BinaryIO, label: str) -> str:
    """CLEAN, or PENDING when clamd cannot answer now; raise UploadRejected when it finds malware."""
    try:
        result = antivirus.scan_stream(raw)
    except antivirus.ScannerUnavailable as exc:
        log.warning("upload kept unscanned (pending): %s", exc)
        return antivirus.PENDING
    if result.infected:
        log.warning("upload refused: clamd found %s", result.signature)
        raise UploadRejected(
            _(
                "Berkas %(label)s terdeteksi mengandung virus/malware (%(signature)s) dan tidak disimpan. "
                "Periksa perangkat Anda dengan antivirus, lalu unggah berkas lain yang bersih."
            )
            % {"label": label, "signature": result.signature},
            code="infected",
        )
    return antivirus.CLEAN


# --- reading --------------------------------------------------------------------------------


def _read_up_to(fileobj: IO[bytes], n: int) -> bytes:
    parts, got = [], 0
    while got < n:
        chunk = fileobj.read(n - got)
        if not chunk:
            break
        parts.append(chunk)
        got += len(chunk)
    return b"".join(parts)


def _copy_limited(src: IO[bytes], dst: BinaryIO, *, already: int, limit: int) -> int:
    """Copy until EOF or until one byte past `limit`; return the bytes seen (limit + 1 = too big)."""
    total = already
    while total <= limit:
        chunk = src.read(min(CHUNK, limit + 1 - total))
        if not chunk:
            break
        dst.write(chunk)
        total += len(chunk)
    return total


def _detect(head: bytes) -> str | None:
    import magic

    return _MAGIC_TO_TYPE.get(magic.from_buffer(head, mime=True))


def _normalise_types(accepted_types: list[str]) -> set[str]:
    accepted = set()
    for item in accepted_types:
        key = str(item).strip().lower()
        if key not in _ALIASES:
            raise ValueError(f"unknown accepted type {item!r}; use jpg, png or pdf")
        accepted.add(_ALIASES[key])
    if not accepted:
        raise ValueError("accepted_types is empty")
    return accepted


def _accepted_text(accepted: set[str]) -> str:
    names = [_TYPE_LABEL[t] for t in (JPEG, PNG, PDF) if t in accepted]
    if len(names) == 1:
        return names[0]
    return _("%(first)s atau %(last)s") % {"first": ", ".join(names[:-1]), "last": names[-1]}


def _check_accepted(kind: str | None, accepted: set[str], label: str) -> None:
    if kind == HEIC and JPEG in accepted:
        if _heif_readable():
            return
        raise UploadRejected(
            _(
                "Foto %(label)s berformat HEIC (foto iPhone) yang belum dapat kami baca. "
                "Ubah ke JPG (di iPhone: Pengaturan > Kamera > Format > Paling Kompatibel, atau "
                "ambil tangkapan layar foto itu) lalu unggah lagi."
            )
            % {"label": label},
            code="heic_unsupported",
        )
    if kind is None or kind not in accepted:
        raise UploadRejected(
            _("Berkas %(label)s harus berupa %(types)s. Berkas yang Anda pilih bukan %(types)s; unggah berkas lain.")
            % {"label": label, "types": _accepted_text(accepted)},
            code="wrong_type",
        )


def _heif_readable() -> bool:
    from PIL import Image

    return ".heic" in Image.registered_extensions()  # a HEIF plugin (pillow-heif) is registered


def _format_mb(n: int) -> str:
    value = n / MB
    text = f"{math.ceil(value)}" if value >= 10 else f"{math.ceil(value * 10) / 10:.1f}".replace(".", ",")
    return text.removesuffix(",0") + " MB"


def _too_large(kind: str, label: str, limit_mb: int, reported_size: object) -> UploadRejected:
    # Django's UploadedFile.size counts the bytes it received; only used for the message.
    if isinstance(reported_size, int) and reported_size > limit_mb * MB:
        size_text = _format_mb(reported_size)
    else:
        size_text = _("lebih dari %(limit)d MB") % {"limit": limit_mb}
    if kind == PDF:
        message = _(
            "PDF %(label)s terlalu besar (%(size)s). Unggah PDF di bawah %(limit)d MB, misalnya dengan "
            "memindai ulang dalam hitam-putih atau resolusi lebih rendah."
        )
    else:
        message = _(
            "%(label)s terlalu besar (%(size)s). Unggah foto di bawah %(limit)d MB, misalnya dengan "
            "resolusi kamera lebih rendah."
        )
    return UploadRejected(message % {"label": label, "size": size_text, "limit": limit_mb}, code="too_large")


# --- images ---------------------------------------------------------------------------------


class _reencode_image:  # noqa: N801 - used as a context manager owning the output spool
    def __init__(self, raw: BinaryIO, kind: str, label: str, *, limit: int):
        self.raw, self.kind, self.label, self.limit = raw, kind, label, limit
        self.out: SpooledTemporaryFile | None = None

    def __enter__(self) -> tuple[BinaryIO, str, int, int]:
        from PIL import Image, ImageFile, ImageOps

        # WeasyPrint sets this process-wide flag to True when it is imported (any receipt or
        # letter rendered in this worker); a truncated photo would then pass as readable.
        ImageFile.LOAD_TRUNCATED_IMAGES = False

        unreadable = UploadRejected(
            _("Foto %(label)s tidak dapat dibaca (berkas rusak atau tidak lengkap). Ambil ulang foto lalu unggah lagi.")
            % {"label": self.label},
            code="unreadable",
        )
        try:
            with Image.open(self.raw) as probe:
                probe.verify()
            self.raw.seek(0)
            im = Image.open(self.raw)
            if im.format not in {"JPEG", "MPO", "PNG", "HEIF", "AVIF"}:
                raise unreadable
            width, height = im.size
            max_pixels = MAX_PNG_PIXELS if im.format == "PNG" else MAX_JPEG_PIXELS
            if width * height > max_pixels:
                raise UploadRejected(
                    _(
                        "Foto %(label)s terlalu besar resolusinya (%(width)d x %(height)d piksel). "
                        "Unggah foto dengan resolusi lebih kecil."
                    )
                    % {"label": self.label, "width": width, "height": height},
                    code="too_many_pixels",
                )
            if im.format in {"JPEG", "MPO"} and max(width, height) > MAX_SIDE:
                # decode at 1/2, 1/4 or 1/8 scale, never below the target size
                scale = MAX_SIDE / max(width, height)
                im.draft(None, (math.ceil(width * scale), math.ceil(height * scale)))
            im.load()
            icc = im.info.get("icc_profile") if im.mode in {"RGB", "RGBA", "L", "LA", "P"} else None
            im = ImageOps.exif_transpose(im)
        except UploadRejected:
            raise
        except Image.DecompressionBombError as exc:  # its header claims more pixels than Pillow will open
            pixels = re.search(r"\((\d+) pixels\)", str(exc))
            raise UploadRejected(
                _("Resolusi foto %(label)s terlalu besar (%(pixels)s piksel). Unggah foto dengan resolusi lebih kecil.")
                % {"label": self.label, "pixels": f"{int(pixels.group(1)):,}".replace(",", ".") if pixels else "?"},
                code="too_many_pixels",
            ) from exc
        except (OSError, SyntaxError, ValueError) as exc:
            raise unreadable from exc

        if max(im.size) > MAX_SIDE:
            im.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.LANCZOS)
        im.info = {}  # nothing of the original's metadata may ride along into the encoder
        self.out = SpooledTemporaryFile(max_size=SPOOL_IN_MEMORY)  # noqa: SIM115 - closed in __exit__
        if self.kind == PNG:
            png = im if im.mode in {"1", "L", "LA", "P", "RGB", "RGBA", "I", "I;16"} else im.convert("RGBA")
            png.save(self.out, "PNG", icc_profile=icc)
            if self.out.tell() <= self.limit:
                self.out.seek(0)
                return self.out, PNG, png.width, png.height
            self.out.seek(0)
            self.out.truncate()
        rgb = _flatten_to_rgb(im)
        rgb.save(
            self.out, "JPEG", quality=JPEG_QUALITY, optimize=True, icc_profile=icc if rgb.mode == im.mode else None
        )
        self.out.seek(0)
        return self.out, JPEG, rgb.width, rgb.height

    def __exit__(self, *exc_info) -> None:
        if self.out is not None:
            self.out.close()


def _flatten_to_rgb(im):
    from PIL import Image

    if im.mode in {"RGB", "L"}:
        return im
    if im.mode in {"RGBA", "LA", "PA"} or (im.mode == "P" and "transparency" in im.info):
        rgba = im.convert("RGBA")
        background = Image.new("RGB", rgba.size, (255, 255, 255))
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
    return im.convert("RGB")


# --- PDF ------------------------------------------------------------------------------------


def _check_pdf(raw: BinaryIO, size: int, label: str) -> int:
    """Pages of a PDF fit to store as it is; raise UploadRejected otherwise."""
    broken = UploadRejected(
        _("PDF %(label)s rusak atau tidak lengkap. Simpan ulang atau pindai ulang dokumennya, lalu unggah lagi.")
        % {"label": label},
        code="unreadable",
    )
    active = UploadRejected(
        _(
            "PDF %(label)s berisi skrip, lampiran berkas, atau tindakan otomatis yang tidak diizinkan. "
            "Cetak ulang ke PDF (Print > Save as PDF) atau pindai ulang dokumennya, lalu unggah lagi."
        )
        % {"label": label},
        code="active_content",
    )
    raw.seek(0)
    if not raw.read(1024).startswith(b"%PDF-"):
        raise broken
    raw.seek(max(0, size - 2048))
    if b"%%EOF" not in raw.read():
        raise broken
    raw.seek(0)
    carry = b""
    while chunk := raw.read(CHUNK):
        if _ACTIVE_PDF.search(carry + chunk):
            raise active
        carry = chunk[-32:]

    from pyhanko.pdf_utils.reader import PdfFileReader

    raw.seek(0)
    with _mapped(raw) as source:
        try:
            reader = PdfFileReader(source, strict=False)
            encrypted = reader.encrypted
            if not encrypted:
                root = reader.root
                has_active = _pdf_has_actions(reader)
                pages = int(_deref(root, "/Pages")["/Count"])
        except Exception as exc:  # noqa: BLE001 - a malformed PDF can make the parser raise almost anything
            raise broken from exc
        finally:
            reader = root = None  # their stream objects hold views of the mapping
    if encrypted:
        raise UploadRejected(
            _(
                "PDF %(label)s dikunci dengan kata sandi atau enkripsi. Buka PDF itu, cetak ulang ke PDF "
                "tanpa kata sandi (Print > Save as PDF), lalu unggah lagi."
            )
            % {"label": label},
            code="encrypted",
        )
    if has_active:
        raise active
    if pages < 1:
        raise broken
    return pages


class _MappedFile:
    """A read-only file over a memory map, for pyHanko's parser.

    A read longer than `COPY_AT_MOST` (in a parse, only a stream's payload: an image, a page's
    contents) answers a memoryview of the mapping instead of a copy, so the walk over a PDF's
    objects never copies its images into the heap: the bytes stay in the page cache, read only
    if an object stream has to be decoded. Short reads (tokens, dictionaries) are copies.
    """

    COPY_AT_MOST = 64 * 1024

    def __init__(self, mapping: mmap.mmap):
        self._map = mapping
        self._view = memoryview(mapping)
        self._pos = 0

    def read(self, n: int = -1):
        size = len(self._map)
        end = size if n is None or n < 0 else min(size, self._pos + n)
        start, self._pos = self._pos, max(self._pos, end)
        if end - start > self.COPY_AT_MOST:
            return self._view[start:end]
        return self._map[start:end]

    def seek(self, offset: int, whence: int = 0) -> int:
        base = {0: 0, 1: self._pos, 2: len(self._map)}[whence]
        self._pos = max(0, base + offset)
        return self._pos

    def tell(self) -> int:
        return self._pos

    def release(self) -> None:
        self._view.release()  # raises BufferError while a payload view is still referenced


@contextlib.contextmanager
def _mapped(raw: BinaryIO):
    """`raw` as pyHanko reads it: a memory map of its temporary file once spooled to disk, else `raw`."""
    file = getattr(raw, "_file", raw)  # SpooledTemporaryFile: in memory (BytesIO) until rolled over
    try:
        fileno = file.fileno()
    except (AttributeError, OSError, io.UnsupportedOperation):
        yield raw
        return
    mapping = mmap.mmap(fileno, 0, access=mmap.ACCESS_READ)
    source = _MappedFile(mapping)
    try:
        yield source
    finally:
        # The parser's objects form reference cycles that may still hold a payload view; then
        # the mapping (no heap, a duplicated descriptor) is unmapped when they are collected.
        with contextlib.suppress(BufferError):
            source.release()
            mapping.close()


def _deref(container, key):
    """container[key] with indirect references resolved (None when missing)."""
    from pyhanko.pdf_utils import generic

    value = container.raw_get(key) if hasattr(container, "raw_get") and key in container else None
    return value.get_object() if isinstance(value, generic.IndirectObject) else value


# Actions that run a script or a program, send the form or pull data in, or open an embedded
# file; a Rendition or RichMediaExecute action can carry a script too.
_ACTIVE_ACTIONS = frozenset(
    {"/JavaScript", "/Launch", "/SubmitForm", "/ImportData", "/GoToE", "/RichMediaExecute", "/Rendition"}
)
# Keys that make any dictionary active wherever it is: additional (automatic) actions, a script,
# an embedded file stream, an XFA form (it carries its own scripts), the document's name trees
# of scripts and of embedded files.
_ACTIVE_KEYS = frozenset({"/AA", "/JS", "/EF", "/XFA", "/JavaScript", "/EmbeddedFiles"})
_ACTIVE_TYPES = frozenset({"/EmbeddedFile", "/RichMedia", "/Screen", "/Movie", "/Sound", "/FileAttachment"})
MAX_PDF_OBJECTS = 200_000


def _pdf_has_actions(reader, *, max_nodes: int = MAX_PDF_OBJECTS) -> bool:
    """Scripts, auto-actions, launch/submit/import actions or embedded files anywhere in the PDF.

    Walks every object reachable from the trailer (catalog, /OpenAction and its /Next chain,
    /AA of catalog, pages and annotations, widget annotations and the AcroForm field tree, the
    /Names trees, ...), not a list of known places: a place we did not think of is still walked.
    Names are compared as the parser decodes them (`/J#61vaScript` is `/JavaScript`). Content
    streams are not parsed (they cannot hold actions). This sees objects inside compressed
    object streams, which the byte scan cannot. A PDF too large to walk counts as active.
    """
    from pyhanko.pdf_utils import generic

    stack: list = [reader.trailer.raw_get("/Root")]
    seen_refs: set[tuple[int, int]] = set()
    nodes = 0
    while stack:
        value = stack.pop()
        if isinstance(value, generic.IndirectObject):
            ref = (value.idnum, value.generation)
            if ref in seen_refs:
                continue
            seen_refs.add(ref)
            value = value.get_object()
        nodes += 1
        if nodes > max_nodes:
            return True
        if isinstance(value, generic.DictionaryObject):
            keys = set(value.keys())
            if keys & _ACTIVE_KEYS:
                return True
            if "/S" in keys and value["/S"] in _ACTIVE_ACTIONS:
                return True
            if any(k in keys and value[k] in _ACTIVE_TYPES for k in ("/Type", "/Subtype")):
                return True
            stack.extend(value.raw_get(k) for k in keys)
        elif isinstance(value, generic.ArrayObject):
            stack.extend(value)
    return False


# --- storing --------------------------------------------------------------------------------


def _put(
    stream: BinaryIO,
    content_type: str,
    original_name: str,
    *,
    width: int | None,
    height: int | None,
    pages: int | None,
    scan_status: str,
) -> StoredUpload:
    digest, size = hashlib.sha256(), 0
    stream.seek(0)
    while chunk := stream.read(CHUNK):
        digest.update(chunk)
        size += len(chunk)
    stream.seek(0)
    key = storage.put(stream, content_type=content_type, length=size)
    return StoredUpload(
        key=key,
        content_type=content_type,
        size=size,
        sha256=digest.hexdigest(),
        original_name=sanitise_name(original_name, _EXTENSION[content_type]),
        width=width,
        height=height,
        pages=pages,
        scan_status=scan_status,
    )


def sanitise_name(name: str, extension: str) -> str:
    """A display name safe for headers and HTML: no path, no control/bidi characters, our extension."""
    name = unicodedata.normalize("NFC", str(name or "")).replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] not in {"C", "Z"} or ch == " ")
    name = re.sub(r"[<>:\"|?*;`$'%&{}\[\]]", "_", name).strip(" .")
    stem = name.rsplit(".", 1)[0] if "." in name else name
    stem = re.sub(r"\s+", " ", stem).strip(" .")[:100] or "berkas"
    return f"{stem}.{extension}"
