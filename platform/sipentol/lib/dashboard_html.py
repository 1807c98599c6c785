"""How a dashboard section shows a table and a chart: one look for every section of both boards.

A section (lib/dashboards.py) computes a `Table` once; `table_html` shows exactly those cells
(so the page and the exported sheet cannot disagree), and `bar_chart_svg` draws a trend as an
inline SVG rendered on the server: no JavaScript, no chart library, no CDN, readable on a
phone (it scales to the screen's width). A chart is an image for sighted readers only; its
table, always shown beside it, is what a screen reader reads.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

from django.template.loader import render_to_string
from django.utils import formats
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from .dashboards import Cell, Table


def cell_text(value: Cell) -> str:
    """A cell as the page shows it, in the reader's language (decimal comma in Indonesian)."""
    if value is None or value == "":
        return "–"
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, dt.datetime):
        return formats.date_format(value, "SHORT_DATETIME_FORMAT")
    if isinstance(value, dt.date):
        return formats.date_format(value, "SHORT_DATE_FORMAT")
    if isinstance(value, float):
        return formats.number_format(value, decimal_pos=1 if value != int(value) else 0)
    if isinstance(value, int):
        return formats.number_format(value, force_grouping=True)
    return str(value)


def table_html(
    table: Table,
    *,
    links: Mapping[tuple[int, int], str] | None = None,
    limit: int | None = None,
    empty: str = "",
) -> SafeString:
    """The table with its title as caption, the first column as row headers; `links` makes the
    cell (row index, column index) a link (an overdue figure to its list); `limit` shows only
    the first rows (the rest is in the export)."""
    links = links or {}
    rows = table.rows if limit is None else table.rows[:limit]
    shown = [
        [
            {"text": cell_text(value), "href": links.get((r, c), ""), "number": isinstance(value, int | float)}
            for c, value in enumerate(row)
        ]
        for r, row in enumerate(rows)
    ]
    return render_to_string(
        "dashboards/_table.html",
        {"table": table, "rows": shown, "more": len(table.rows) - len(rows), "empty": empty},
    )


# Colour-blind safe pair (Okabe-Ito blue and orange), the platform's green for a third series.
SERIES_COLOURS = ("#0072B2", "#E69F00", "#1b7f4b")


def bar_chart_svg(
    *, title: str, labels: Sequence[str], series: Sequence[tuple[str, Sequence[int | float | None]]]
) -> SafeString:
    """Grouped bars, one group per label (a month), one bar per series, with a legend.

    The SVG has a viewBox and no fixed width, so it shrinks to a 360 px screen; presentation
    attributes only (no style attribute: the Content-Security-Policy forbids inline styles)."""
    height, top, bottom, group = 180, 24, 28, 36
    width = max(240, 40 + group * len(labels))
    peak = max([v or 0 for _name, values in series for v in values] + [1])
    bar = (group - 8) / max(1, len(series))
    plot = height - top - bottom
    shapes = []
    for s, (name, values) in enumerate(series):
        colour = SERIES_COLOURS[s % len(SERIES_COLOURS)]
        for i, value in enumerate(values):
            h = plot * (value or 0) / peak
            x = 32 + i * group + s * bar
            shapes.append(
                format_html(
                    '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"><title>{} {}: {}</title></rect>',
                    f"{x:.1f}",
                    f"{top + plot - h:.1f}",
                    f"{bar - 1:.1f}",
                    f"{h:.1f}",
                    colour,
                    name,
                    labels[i],
                    cell_text(value),
                )
            )
        shapes.append(
            format_html(
                '<rect x="{}" y="4" width="10" height="10" fill="{}"></rect>'
                '<text x="{}" y="13" font-size="11">{}</text>',
                32 + s * 120,
                colour,
                46 + s * 120,
                name,
            )
        )
    axis = format_html_join(
        "",
        '<text x="{}" y="{}" font-size="10" text-anchor="middle">{}</text>',
        ((f"{32 + i * group + (group - 8) / 2:.1f}", height - 10, label) for i, label in enumerate(labels)),
    )
    return format_html(
        '<svg class="chart" viewBox="0 0 {} {}" width="100%" role="img" aria-label="{}" focusable="false">'
        '<line x1="30" y1="{}" x2="{}" y2="{}" stroke="#666"></line>'
        '<text x="28" y="{}" font-size="10" text-anchor="end">{}</text>{}{}</svg>',
        width,
        height,
        title,
        top + plot,
        width,
        top + plot,
        top + 8,
        cell_text(peak),
        format_html_join("", "{}", ((shape,) for shape in shapes)),
        axis,
    )
