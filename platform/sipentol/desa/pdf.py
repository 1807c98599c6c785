"""The pengantar as a PDF: the desa's letterhead, its sandboxed body (the same engine as the
kecamatan's letters: `docengine.render`), the signature block and the QR to its verification page."""

from __future__ import annotations

import datetime as dt

from django.template import Context
from django.template.loader import render_to_string
from django.utils.formats import date_format
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import override

from sipentol.docengine import render


def pengantar_pdf(
    *,
    desa: dict,
    body_html: str,
    data: dict,
    number: str,
    on: dt.date,
    signature: dict | None,
    verify_url: str | None,
) -> bytes:
    """A4 PDF; `desa` holds name, kind, head_title, address, phone, kecamatan; `signature` None is a preview."""
    with override("id"):  # an official letter in Bahasa Indonesia, whatever the staff UI's language
        context = {"data": render.plain_value(data), "desa": render.plain_value(desa)}
        body = render.compile_body(body_html).render(Context(context, autoescape=True))
        html = render_to_string(
            "desa/pengantar_pdf.html",
            {
                "desa": desa,
                "body": mark_safe(body),  # noqa: S308 (autoescaped output of the sandbox engine)
                "number": number,
                "date": date_format(on, "j F Y"),
                "signature": signature,
                "qr": render.qr_data_uri(verify_url) if verify_url else "",
                "logo_url": render.logo_uri(None),
                "title": _("Surat Pengantar"),
            },
        )
    return render.html_to_pdf(html)
