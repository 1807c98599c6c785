"""The tanda terima (receipt) as an A4 PDF the citizen can print or keep."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import timezone

from .models import Application


def render_receipt_pdf(application: Application, *, kecamatan) -> bytes:
    # One WeasyPrint path for every PDF: nothing fetched from outside, one font configuration
    # per thread (a new one per document leaks native memory).
    from sipentol.docengine.render import html_to_pdf

    html = render_to_string(
        "applications/receipt_pdf.html",
        {
            "application": application,
            "kecamatan": kecamatan,
            "printed_at": timezone.localtime(),
            "documents": application.documents.current(),
        },
    )
    return html_to_pdf(html)
