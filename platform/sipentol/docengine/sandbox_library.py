"""The only tags and filters a letter template edited by an admin may use.

Loading libraries, including files, turning autoescape off or marking text safe are left out:
a template can lay out the application's fields, never run code or emit a field unescaped.
"""

from __future__ import annotations

from django.template import Library, defaultfilters, defaulttags

register = Library()

ALLOWED_TAGS = (
    "comment", "cycle", "firstof", "for", "if", "ifchanged", "lorem", "now", "regroup",
    "resetcycle", "spaceless", "templatetag", "verbatim", "widthratio", "with",
)  # fmt: skip
ALLOWED_FILTERS = (
    "add", "capfirst", "center", "cut", "date", "default", "default_if_none", "divisibleby",
    "escape", "first", "floatformat", "force_escape", "join", "last", "length", "linebreaks",
    "linebreaksbr", "ljust", "lower", "make_list", "pluralize", "rjust", "slice", "stringformat",
    "time", "title", "truncatechars", "truncatewords", "upper", "wordcount", "wordwrap", "yesno",
)  # fmt: skip

for _name in ALLOWED_TAGS:
    register.tags[_name] = defaulttags.register.tags[_name]
for _name in ALLOWED_FILTERS:
    register.filters[_name] = defaultfilters.register.filters[_name]


# ---------------------------------------------------------------- letter filters
# Form values arrive as the form stored them: dates as ISO strings, numbers as int, lists of
# people as textarea lines. These turn them into how an Indonesian letter writes them, and
# give anything they do not recognise back unchanged (a letter must never fail to render).


@register.filter(is_safe=False)
def tanggal(value):
    """ "2026-12-20" -> "20 Desember 2026" (always Bahasa Indonesia: the letter is an official document)."""
    import datetime as dt

    from django.utils.formats import date_format
    from django.utils.translation import override

    if isinstance(value, dt.date):
        day = value
    else:
        try:
            day = dt.date.fromisoformat(str(value).strip()[:10])
        except ValueError:
            return value
    with override("id"):
        return date_format(day, "j F Y")


@register.filter(is_safe=False)
def rupiah(value):
    """900000 -> "Rp900.000"; text that is not a whole number comes back unchanged."""
    text = str(value).strip().replace(".", "").replace(",", "")
    if not text.isdigit():
        return value
    return "Rp" + f"{int(text):,}".replace(",", ".")


@register.filter(is_safe=False)
def daftar_orang(value):
    """Textarea lines "nama, NIK, hubungan" -> [{"nama", "nik", "hubungan"}], one per non-empty line.

    The NIK is found as the 16-digit part, so a name with a title ("Siti Aminah, S.Pd.") stays
    whole; a line without a NIK is split at its last comma into nama and hubungan.
    """
    if isinstance(value, list):
        return value
    people = []
    for line in str(value or "").splitlines():
        parts = [p.strip() for p in line.split(",") if p.strip()]
        if not parts:
            continue
        at = next(
            (i for i, p in enumerate(parts) if p.replace(" ", "").isdigit() and len(p.replace(" ", "")) == 16), None
        )
        if at is not None:
            person = {
                "nama": ", ".join(parts[:at]),
                "nik": parts[at].replace(" ", ""),
                "hubungan": ", ".join(parts[at + 1 :]),
            }
        elif len(parts) > 1:
            person = {"nama": ", ".join(parts[:-1]), "nik": "", "hubungan": parts[-1]}
        else:
            person = {"nama": parts[0], "nik": "", "hubungan": ""}
        people.append(person)
    return people
