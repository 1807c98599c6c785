"""The regency's sections of both leadership boards (lib/dashboards.py): the application figures.

The regency board shows them per kecamatan and per service across the regency; the Camat's
board shows the same sections read from the same facts (selectors.board_*), fixed to its own
kecamatan (`connection.tenant`), so "the same figures" have one home. Registered in
`RegencyConfig.ready()`.

A section computes its tables once per request (`lib/dashboards.memo`): the page renders it and lists its
downloads from the same values. `request` may be None (an export task has no request).
"""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db import connection
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sipentol.lib.dashboard_html import bar_chart_svg, table_html
from sipentol.lib.dashboards import Filters, Table, memo

from . import selectors
from .boards import filters_query, scoped

OVERDUE_COLUMN = 4  # "Lewat batas waktu" in the figures tables
OVERDUE_PREVIEW = 10  # rows of the overdue list on the board itself; the rest on its own page
# Kecamatan per page of the per-kecamatan table (a phone cannot show more); the download has all of them.
FIGURE_ROWS_SHOWN = 25


def url(board: str, name: str, *args) -> str:
    """A board's page: the regency's on the regency host, the Camat's under /kantor/."""
    prefix = "regency-dashboard" if board == "regency" else "staff:dashboard"
    return reverse(f"{prefix}-{name}" if name else prefix, args=args)


class _RegencySection:
    key: str
    title = ""

    def __init__(self, board: str):
        self.board = board

    def filters(self, filters: Filters) -> Filters:
        """The Camat's board is always its own kecamatan, whatever the filters say."""
        if self.board == "camat":
            return scoped(filters, connection.tenant.pk)
        return filters

    def tables(self, request, filters: Filters) -> list[Table]:
        filters = self.filters(filters)
        return memo(request, (self.board, self.key, filters), lambda: self.compute(filters))

    def compute(self, filters: Filters) -> list[Table]:
        raise NotImplementedError


def _figure_columns(first: str) -> list[str]:
    return [
        first,
        _("Diajukan"),
        _("Terbit"),
        _("Dalam proses"),
        _("Lewat batas waktu"),
        _("Kepatuhan SLA (%)"),
        _("Median lama proses (hari kerja)"),
        _("P90 lama proses (hari kerja)"),
        _("Diminta melengkapi (%)"),
        _("IKM"),
        _("Mutu"),
    ]


def _figure_cells(row: dict) -> list:
    return [
        row["submitted"],
        row["issued"],
        row["in_progress"],
        row["overdue"],
        row["compliance"],
        row["median_days"],
        row["p90_days"],
        row["completion_rate"],
        row["skm"],
        row["skm_grade"],
    ]


class FiguresSection(_RegencySection):
    """Submitted, issued, in progress, overdue, SLA compliance, lead time, completion requests, SKM:
    per kecamatan (`by="kecamatan"`, regency board) or per service (`by="service"`).

    The per-kecamatan table is shown a page of FIGURE_ROWS_SHOWN kecamatan at a time (`?hal=`):
    the page computes only its own kecamatan, so it costs the same with 18 kecamatan as with 1,000;
    the download holds every row."""

    def __init__(self, board: str, by: str):
        super().__init__(board)
        self.by = by
        self.key = "kecamatan" if by == "kecamatan" else "layanan"
        if by == "kecamatan":
            self.title = gettext_lazy("Per kecamatan")
        elif board == "regency":
            self.title = gettext_lazy("Per layanan")
        else:
            self.title = gettext_lazy("Per layanan di kecamatan ini")

    def downloads(self) -> list[tuple[str, str]]:
        """The board names this download without computing every row."""
        return [(self.key, str(self.title))]

    def tables(self, request, filters: Filters) -> list[Table]:
        return [self._table_and_keys(request, filters)[0]]

    def _table_and_keys(self, request, filters: Filters, kecamatan_list=None) -> tuple[Table, list]:
        """The table, and the kecamatan id or service code of each row (the total row has none)."""
        filters = self.filters(filters)
        ids = None if kecamatan_list is None else tuple(k.pk for k in kecamatan_list)
        return memo(
            request, (self.board, self.key, filters, ids), lambda: self._compute(request, filters, kecamatan_list)
        )

    def _compute(self, request, filters: Filters, kecamatan_list) -> tuple[Table, list]:
        if self.by == "kecamatan":
            rows = selectors.board_by_kecamatan(filters, kecamatan_list)
            cells = [[row["kecamatan_name"], *_figure_cells(row)] for row in rows]
            keys = [row["kecamatan_id"] for row in rows]
            total_label, first = _("Seluruh kabupaten"), _("Kecamatan")
        else:
            rows = selectors.board_by_service(filters)
            cells = [[row["service_name"], *_figure_cells(row)] for row in rows]
            keys = [row["service_code"] for row in rows]
            total_label, first = _("Semua layanan"), _("Layanan")
        # Both figures tables end with the same totals: computed once per page.
        totals = memo(request, ("totals", filters), lambda: selectors.board_totals(filters))
        cells.append([total_label, *_figure_cells(totals)])
        return Table(key=self.key, title=str(self.title), columns=_figure_columns(first), rows=cells), keys

    def render(self, request, filters: Filters) -> str:
        scoped_filters = self.filters(filters)
        page = None
        if self.by == "kecamatan":
            page = Paginator(selectors.board_kecamatan(scoped_filters), FIGURE_ROWS_SHOWN).get_page(
                request.GET.get("hal") if request is not None else None
            )
            table, keys = self._table_and_keys(request, filters, list(page.object_list))
        else:
            table, keys = self._table_and_keys(request, filters)
        overdue = url(self.board, "overdue")
        param = "kecamatan" if self.by == "kecamatan" else "layanan"
        links = {}
        for index, row in enumerate(table.rows):
            if row[OVERDUE_COLUMN]:
                # The total row (no key) links to the list under the board's own filters.
                override = {param: keys[index]} if index < len(keys) else {}
                links[(index, OVERDUE_COLUMN)] = overdue + filters_query(scoped_filters, board=self.board, **override)
        html = table_html(table, links=links)
        if page is None or not page.has_other_pages():
            return html
        return format_html("{}{}", html, self._pager(filters, page))

    def _pager(self, filters: Filters, page) -> str:
        def link(number: int, text: str) -> str:
            return format_html(
                '<a href="{}#{}">{}</a>',
                filters_query(filters, board=self.board, hal=number),
                self.key,
                text,
            )

        parts = []
        if page.has_previous():
            parts.append(link(page.previous_page_number(), "← " + _("Sebelumnya")))
        parts.append(
            format_html(
                "<span>{}</span>",
                _("Kecamatan %(first)s–%(last)s dari %(count)s; semua ada di unduhan.")
                % {"first": page.start_index(), "last": page.end_index(), "count": page.paginator.count},
            )
        )
        if page.has_next():
            parts.append(link(page.next_page_number(), _("Berikutnya") + " →"))
        return format_html(
            '<nav class="pager" aria-label="{}">{}</nav>',
            _("Halaman tabel per kecamatan"),
            mark_safe(" ".join(parts)),  # noqa: S308 (each part built by format_html)
        )


class TrendSection(_RegencySection):
    """Per month: applications submitted and letters issued (a chart and its table), lead time and SLA."""

    key = "tren"
    title = gettext_lazy("Tren per bulan")

    def compute(self, filters: Filters) -> list[Table]:
        rows = selectors.board_trend(filters)
        return [
            Table(
                key=self.key,
                title=str(self.title),
                columns=[
                    _("Bulan"),
                    _("Diajukan"),
                    _("Terbit"),
                    _("Median lama proses (hari kerja)"),
                    _("Kepatuhan SLA (%)"),
                ],
                rows=[
                    [row["month"], row["submitted"], row["issued"], row["median_days"], row["compliance"]]
                    for row in rows
                ],
            )
        ]

    def render(self, request, filters: Filters) -> str:
        table = self.tables(request, filters)[0]
        labels = [date_format(row[0], "M y") for row in table.rows]
        chart = bar_chart_svg(
            title=_("Grafik permohonan diajukan dan surat terbit per bulan; angkanya ada pada tabel di bawah."),
            labels=labels,
            series=[(_("Diajukan"), [row[1] for row in table.rows]), (_("Terbit"), [row[2] for row in table.rows])],
        )
        shown = Table(
            key=table.key,
            title=table.title,
            columns=table.columns,
            rows=[[date_format(row[0], "F Y"), *row[1:]] for row in table.rows],
        )
        return format_html('<figure class="chart">{}</figure>{}', chart, table_html(shown))


class OverdueSection(_RegencySection):
    """The applications late today (lib/sla.py's rule): code, service, due date, working days late,
    assigned staff. On the board, the longest overdue; the whole list on its own page."""

    key = "terlambat"
    title = gettext_lazy("Lewat batas waktu hari ini")

    def _rows(self, request, filters: Filters) -> list[selectors.OverdueFact]:
        filters = self.filters(filters)
        return memo(request, (self.board, self.key, filters), lambda: selectors.board_overdue(filters))

    def downloads(self) -> list[tuple[str, str]]:
        """The board lists this download without computing the whole list."""
        return [(self.key, str(self.title))]

    def tables(self, request, filters: Filters) -> list[Table]:
        return [self._table(self._rows(request, filters))]

    def _table(self, rows: list[selectors.OverdueFact]) -> Table:
        return Table(
            key=self.key,
            title=str(self.title),
            columns=[
                _("Kode permohonan"),
                _("Kecamatan"),
                _("Layanan"),
                _("Batas waktu"),
                _("Terlambat (hari kerja)"),
                _("Petugas"),
            ],
            rows=[
                [row.tracking_code, row.kecamatan_name, row.service_name, row.due_date, row.days_late, row.assigned_to]
                for row in rows
            ],
        )

    def links(self, request, filters: Filters) -> dict:
        """On the Camat's board each code opens the application in the back office; the regency
        board links nowhere (a regency account cannot open a kecamatan's application)."""
        if self.board != "camat":
            return {}
        rows = self._rows(request, filters)
        return {(index, 0): reverse("staff:detail", args=[row.application_id]) for index, row in enumerate(rows)}

    def render_full(self, request, filters: Filters, *, limit: int | None = None) -> str:
        table = self.tables(request, filters)[0]
        return table_html(
            table,
            links=self.links(request, filters),
            limit=limit,
            empty=_("Tidak ada permohonan yang lewat batas waktu."),
        )

    def render(self, request, filters: Filters) -> str:
        # The board shows the count and the longest overdue only (2 small queries); the whole list,
        # which grows with the regency, is on its own page and in the download.
        scoped_filters = self.filters(filters)
        count = selectors.board_overdue_count(scoped_filters)
        preview = selectors.board_overdue(scoped_filters, limit=OVERDUE_PREVIEW)
        links = {}
        if self.board == "camat":
            links = {(i, 0): reverse("staff:detail", args=[row.application_id]) for i, row in enumerate(preview)}
        more = url(self.board, "overdue") + filters_query(scoped_filters, board=self.board)
        summary = format_html(
            '<p><a href="{}">{}</a></p>',
            more,
            _("Lihat daftar lengkap (%(count)s permohonan)") % {"count": count},
        )
        table = table_html(self._table(preview), links=links, empty=_("Tidak ada permohonan yang lewat batas waktu."))
        return format_html("{}{}", summary, table)


def register_sections() -> None:
    from sipentol.lib import dashboards

    dashboards.register("regency", FiguresSection("regency", "kecamatan"))
    dashboards.register("regency", FiguresSection("regency", "service"))
    dashboards.register("regency", TrendSection("regency"))
    dashboards.register("regency", OverdueSection("regency"))
    dashboards.register("camat", FiguresSection("camat", "service"))
    dashboards.register("camat", TrendSection("camat"))
    dashboards.register("camat", OverdueSection("camat"))
