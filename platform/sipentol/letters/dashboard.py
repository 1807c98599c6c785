"""The letters' section of the Camat's board (lib/dashboards.py): letters waiting for signature
and since when. Registered in `LettersConfig.ready()`."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sipentol.lib.dashboard_html import table_html
from sipentol.lib.dashboards import Filters, Table, tables_once
from sipentol.lib.workdays import working_days_between

from .selectors import letters_waiting_since


class SigningSection:
    """Every letter awaiting signature today (whatever the period), the longest waiting first:
    the letter, when it was submitted, working days waiting. No holder's name or NIK."""

    key = "menunggu-tanda-tangan"
    title = gettext_lazy("Surat menunggu tanda tangan")

    @tables_once
    def tables(self, request, filters: Filters) -> list[Table]:
        rows = [
            [letter.title, since, working_days_between(timezone.localdate(since), filters.today)]
            for letter, since in letters_waiting_since()
        ]
        return [
            Table(
                key=self.key,
                title=str(self.title),
                columns=[_("Surat"), _("Menunggu sejak"), _("Hari kerja menunggu")],
                rows=rows,
            )
        ]

    def render(self, request, filters: Filters) -> str:
        table = self.tables(request, filters)[0]
        return format_html(
            '{}<p><a href="{}">{}</a></p>',
            table_html(table, empty=_("Tidak ada surat yang menunggu tanda tangan.")),
            reverse("staff:signing"),
            _("Buka halaman tanda tangan"),
        )


SECTION = SigningSection()
