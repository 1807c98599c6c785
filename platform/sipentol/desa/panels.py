"""The citizen's view of their desa's pengantar, on the tracking and status pages (applications/panels.py)."""

from __future__ import annotations

from django.template.loader import render_to_string

from .selectors import pengantar_of_application
from .services import desa_of


def pengantar_panel(request, application, *, granted: bool) -> str:
    item = pengantar_of_application(application)
    if item is None:
        return ""
    return render_to_string(
        "desa/_citizen_panel.html",
        {
            "item": item,
            "desa": desa_of(item.desa_code),
            "waiting": application.status == "awaiting_desa",
            "granted": granted,
        },
        request=request,
    )
