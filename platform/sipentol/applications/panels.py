"""Sections other apps add to the citizen's pages of an application (tracking page, status page).

applications sits below the apps that have something to show there (privacy: the citizen's
correction and deletion requests, the copy of their data), so it offers this registry, which
those apps fill in their `AppConfig.ready()`. A panel is `panel(request, application, *,
granted) -> str` (HTML, already escaped); `granted` is whether this session may see the
application's details (secret link or one-time code), so a panel shows no personal data without it.
"""

from __future__ import annotations

from collections.abc import Callable

from django.utils.safestring import SafeString, mark_safe

Panel = Callable[..., str]
_PANELS: list[Panel] = []


def register(panel: Panel) -> Panel:
    if panel not in _PANELS:
        _PANELS.append(panel)
    return panel


def render_panels(request, application, *, granted: bool) -> SafeString:
    return mark_safe("".join(panel(request, application, granted=granted) for panel in _PANELS))  # noqa: S308
