"""The tanda terima (receipt) as an A4 PDF the citizen can print or keep."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import timezone

from .models import Application


def local_only_fetcher(url: str, *args, **kwargs):
    """WeasyPrint must fetch nothing remote: only inline data: URIs are allowed."""
    if url.startswith("data:"):
        from weasyprint.urls import default_url_fetcher

        return default_url_fetcher(url)
    raise ValueError(f"blocked fetch of {url!r}")


def render_receipt_pdf(application: Application, *, kecamatan) -> bytes:
    from weasyprint import HTML  # heavy import, only when a receipt is rendered

    html = render_to_string(
        "applications/receipt_pdf.html",
        {
            "application": application,
            "kecamatan": kecamatan,
            "printed_at": timezone.localtime(),
            "documents": application.documents.filter(superseded=False),
        },
    )
    return HTML(string=html, url_fetcher=local_only_fetcher).write_pdf()
