"""Diskominfo and regency accounts (public schema) on /ops/akun/: the list with roles, invitation
by a one-time link, role change, deactivation; each action audited (`ops_audit`)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_variables
from django.views.decorators.http import require_POST

from sipentol.accounts.invitations import (
    invitation_create,
    invitation_link,
    invitation_renew,
    invitation_revoke,
    invitation_state,
    invitations_pending,
)
from sipentol.accounts.models import Invitation, RegencyRole
from sipentol.accounts.permissions import RegencyCapability
from sipentol.accounts.services import regency_account_set_active, regency_account_set_role

from .views import ops_audit, ops_capability_required

INVITE_FIELDS = ("full_name", "email", "phone", "username", "role", "position")


def _page(request, *, values=None, errors=None, status=200):
    accounts = get_user_model().objects.filter(regency__isnull=False).select_related("regency").order_by("username")
    pending = [
        {"invitation": i, "state": invitation_state(i), "role_label": RegencyRole(i.role).label}
        for i in invitations_pending()
    ]
    return render(
        request,
        "ops/accounts.html",
        {
            "accounts": accounts,
            "pending": pending,
            "roles": RegencyRole.choices,
            "values": values or {},
            "errors": errors or {},
        },
        status=status,
    )


@ops_capability_required(RegencyCapability.MANAGE_REGENCY_USERS)
def accounts_list(request):
    return _page(request)


def _link_page(request, invitation: Invitation, token: str):
    response = render(
        request,
        "ops/invitation_link.html",
        {
            "invitation": invitation,
            "link": invitation_link(invitation, token),
            "role_label": RegencyRole(invitation.role).label,
            "hours": settings.INVITATION_HOURS,
        },
    )
    response["Cache-Control"] = "no-store"
    return response


@ops_capability_required(RegencyCapability.MANAGE_REGENCY_USERS)
@sensitive_variables("token")
@never_cache
@require_POST
def account_invite(request):
    """Invite a person to a Diskominfo or regency role: the one-time link is shown once here,
    to hand over to them (the regency's accounts have no outbox: see docs/onboarding.md)."""
    values = {name: request.POST.get(name, "") for name in INVITE_FIELDS}
    try:
        invitation, token = invitation_create(invited_by=request.user.get_username(), **values)
    except ValidationError as exc:
        return _page(request, values=values, errors=exc.message_dict, status=400)
    ops_audit(request, "account_invite", target=f"invitation:{invitation.pk}", details={"role": invitation.role})
    return _link_page(request, invitation, token)


@ops_capability_required(RegencyCapability.MANAGE_REGENCY_USERS)
@sensitive_variables("token")
@never_cache
@require_POST
def invitation_action(request, pk: int, action: str):
    if action not in ("resend", "revoke"):
        raise Http404
    invitation = get_object_or_404(Invitation, pk=pk)
    try:
        if action == "resend":
            token = invitation_renew(invitation=invitation)
            invitation.refresh_from_db()
            ops_audit(request, "invitation_resend", target=f"invitation:{invitation.pk}")
            return _link_page(request, invitation, token)
        invitation_revoke(invitation=invitation)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
        return redirect("ops:accounts")
    ops_audit(request, "invitation_revoke", target=f"invitation:{invitation.pk}")
    messages.success(request, _("Undangan dibatalkan; tautannya tidak berlaku lagi."))
    return redirect("ops:accounts")


def _account(pk: int):
    return get_object_or_404(get_user_model().objects.filter(regency__isnull=False).select_related("regency"), pk=pk)


@ops_capability_required(RegencyCapability.MANAGE_REGENCY_USERS)
@require_POST
def account_role(request, pk: int):
    user = _account(pk)
    before, role = user.regency.role, request.POST.get("role", "")
    try:
        regency_account_set_role(actor=request.user, user=user, role=role)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
        return redirect("ops:accounts")
    if before != role:
        ops_audit(request, "account_role", target=f"user:{user.get_username()}", details={"from": before, "to": role})
    messages.success(request, _("Peran %(user)s diperbarui.") % {"user": user.get_username()})
    return redirect("ops:accounts")


@ops_capability_required(RegencyCapability.MANAGE_REGENCY_USERS)
@require_POST
def account_active(request, pk: int):
    user = _account(pk)
    active = request.POST.get("active") == "1"
    try:
        regency_account_set_active(actor=request.user, user=user, active=active)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
        return redirect("ops:accounts")
    ops_audit(request, "account_activate" if active else "account_deactivate", target=f"user:{user.get_username()}")
    return redirect("ops:accounts")
