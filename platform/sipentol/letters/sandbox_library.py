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
