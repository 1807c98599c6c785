"""A staff member's own alerts page (`/kantor/pemberitahuan/`) and the unsubscribe link's page.

Thin: the rules (which types a role receives, defaults, the token) live in `alerts.py`.
The unsubscribe page needs no sign-in: its signed token names the account, the type and the
kecamatan. A GET only shows what the button will do (mail scanners open links); the POST does it.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from . import alerts
from .decorators import staff_required
from .models import AlertType
from .permissions import Capability


@never_cache
@require_http_methods(["GET", "POST"])
@staff_required(capability=Capability.CHOOSE_ALERTS)
def alerts_page(request):
    user = request.user
    types = alerts.alert_types_for(user)
    current = alerts.alert_preferences(user)
    whatsapp = user.staff.whatsapp
    error = ""
    if request.method == "POST":
        choices = {t: (request.POST.get(f"email_{t}") == "1", request.POST.get(f"whatsapp_{t}") == "1") for t in types}
        whatsapp = request.POST.get("whatsapp", "").strip()
        try:
            alerts.alert_preferences_set(user=user, choices=choices, whatsapp=whatsapp)
        except ValidationError as exc:
            error = " ".join(exc.messages)
            current = {**current, **choices}
        else:
            messages.success(request, _("Pilihan pemberitahuan disimpan."))
            return redirect("staff:alerts")
    rows = [{"type": t, "label": AlertType(t).label, "email": current[t][0], "whatsapp": current[t][1]} for t in types]
    return render(
        request,
        "accounts/alerts.html",
        {"rows": rows, "whatsapp": whatsapp, "error": error, "has_email": bool(user.email)},
        status=400 if error else 200,
    )


@never_cache
@require_http_methods(["GET", "POST"])
def alerts_unsubscribe(request, token: str):
    found = alerts.alert_unsubscribe_read(token)
    if found is None:
        return render(request, "accounts/alerts_unsubscribe.html", {"invalid": True}, status=404)
    user, alert_type = found
    done = False
    if request.method == "POST":
        alerts.alert_unsubscribe(user=user, alert_type=alert_type)
        done = True
    return render(
        request,
        "accounts/alerts_unsubscribe.html",
        {"label": AlertType(alert_type).label, "done": done, "name": user.get_full_name() or user.get_username()},
    )
