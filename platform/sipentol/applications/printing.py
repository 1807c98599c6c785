"""One printable PDF of every current uploaded file of an application, so nobody brings hardcopies.

A cover page (tracking code, service, applicant, masked NIK, list of files), then each image on
its own A4 page and each PDF appended page by page. Heavy imports stay inside the functions.
"""

from __future__ import annotations

import io

from django.template.loader import render_to_string
from django.utils import timezone

from sipentol.lib import storage

from . import services
from .models import Application, Event

A4 = (595.28, 841.89)  # points
MARGIN = 36


def _cover_pdf(application: Application, documents) -> bytes:
    from sipentol.docengine.render import html_to_pdf

    html = render_to_string(
        "applications/staff/print_cover.html",
        {"application": application, "documents": documents, "now": timezone.localtime()},
    )
    return html_to_pdf(html)  # local assets only, and the process's shared font configuration


def _image_page_pdf(data: bytes) -> bytes:
    """The image scaled to fit an A4 page (portrait or landscape, whichever suits it)."""
    from PIL import Image

    image = Image.open(io.BytesIO(data))
    image = image.convert("RGB")
    width, height = image.size
    page_w, page_h = A4 if height >= width else (A4[1], A4[0])
    dpi = 150
    canvas_px = (int(page_w / 72 * dpi), int(page_h / 72 * dpi))
    margin_px = int(MARGIN / 72 * dpi)
    box = (canvas_px[0] - 2 * margin_px, canvas_px[1] - 2 * margin_px)
    scale = min(box[0] / width, box[1] / height)
    image = image.resize((max(1, int(width * scale)), max(1, int(height * scale))))
    canvas = Image.new("RGB", canvas_px, "white")
    canvas.paste(image, ((canvas_px[0] - image.width) // 2, margin_px))
    out = io.BytesIO()
    canvas.save(out, "PDF", resolution=dpi)
    return out.getvalue()


def application_files_pdf(*, application: Application, actor) -> bytes:
    """Merge the cover and every current document into one PDF; audited as FILES_PRINTED."""
    from pypdf import PdfReader, PdfWriter

    # only files the antivirus passed; one still being scanned is left out of the bundle
    documents = list(application.documents.current().openable().order_by("requirement_code"))
    writer = PdfWriter()
    writer.append(PdfReader(io.BytesIO(_cover_pdf(application, documents))))
    for document in documents:
        data = storage.get(document.key)
        if document.is_image:
            writer.append(PdfReader(io.BytesIO(_image_page_pdf(data))))
        else:
            writer.append(PdfReader(io.BytesIO(data)))
    writer.add_metadata({"/Title": f"Berkas {application.tracking_code}"})
    out = io.BytesIO()
    writer.write(out)
    services.application_record_access(
        application=application,
        actor=actor,
        kind=Event.Kind.FILES_PRINTED,
        data={"documents": [d.pk for d in documents]},
    )
    return out.getvalue()
