"""The staff manual in the back office: one page per role, generated from the permission table
(accounts/manual.py), with links to the pages each line is about and to the outreach material."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from .decorators import staff_required
from .manual import manual_for, roles
from .models import Role
from .permissions import Capability, staff_role


@staff_required(capability=Capability.VIEW_APPLICATIONS)
@require_GET
def staff_manual(request, role: str = ""):
    """Every staff member reads every role's manual (who does what in the office); their own first."""
    role = role or staff_role(request.user) or ""
    if role not in Role.values:
        raise Http404
    context = {
        "role": role,
        "role_label": Role(role).label,
        "lines": manual_for(role),
        "roles": roles(),
        "own_role": staff_role(request.user),
    }
    return render(request, "accounts/staff_manual.html", context)
