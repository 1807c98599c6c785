"""The printable SKM report (laporan SKM) of one period and service, as an A4 PDF: what
PermenPAN-RB 14/2017 asks a unit to publish (respondents against the required sample, NRR per
unsur, IKM with 0.111 beside the exact 1/9, mutu, the respondents' profile with small groups
suppressed, the follow-ups opened). Rendered on the one WeasyPrint path (docengine.render)."""

from __future__ import annotations

from datetime import date

from django.template.loader import render_to_string
from django.utils import timezone

from . import selectors


def render_skm_report_pdf(*, kecamatan, since, until, since_day: date, until_day: date, service=None) -> bytes:
    # WeasyPrint is heavy: imported only when a report is printed.
    from sipentol.docengine.render import html_to_pdf

    window = {"since": since, "until": until, "service": service}
    html = render_to_string(
        "feedback/skm_report_pdf.html",
        {
            "kecamatan": kecamatan,
            "summary": selectors.skm_sample(**window),
            "profile": selectors.skm_profile(**window),
            "follow_ups": selectors.follow_ups_counts(**window),
            "since_day": since_day,
            "until_day": until_day,
            "service": service,
            "printed_at": timezone.localtime(),
        },
    )
    return html_to_pdf(html)
