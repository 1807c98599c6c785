"""Back-office sign-in on a kecamatan's host: the one sign-in flow (`signin.py`) mounted with the
staff `Site`, and the replacement of a temporary password."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.forms import SetPasswordForm
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from . import services, signin
from .decorators import must_change_password, staff_role
from .signin import STAFF


def login_view(request):
    return signin.login(request, STAFF)


def otp_view(request):
    return signin.otp(request, STAFF)


def logout_view(request):
    return signin.logout(request, STAFF)


def reauth_view(request):
    return signin.reauthenticate(request, STAFF)


def invitation_view(request, token: str):
    return signin.invitation_accept(request, token, STAFF)


def backup_codes_view(request):
    return signin.backup_codes_renew(request, STAFF)


@sensitive_post_parameters("new_password1", "new_password2")
@csrf_protect
@never_cache
@require_http_methods(["GET", "POST"])
@signin.recent_password_required(STAFF)
def password_change_view(request):
    """First login after an admin gave a temporary password: choose one's own (Django's validators)."""
    user = request.user
    if staff_role(user) is None:
        return redirect("/kantor/masuk/")
    if not must_change_password(user):
        return redirect(signin.next_url(request, STAFF))
    form = SetPasswordForm(user, request.POST or None)
    form.fields["new_password1"].help_text = ""  # HTML list; the page explains the rules in words
    if request.method == "POST" and form.is_valid():
        services.staff_password_change(user=user, password=form.cleaned_data["new_password1"])
        update_session_auth_hash(request, user)  # stay signed in with the new password
        return redirect(f"/kantor/masuk/otp/?{urlencode({'next': signin.next_url(request, STAFF)})}")
    return render(
        request,
        "accounts/password_change.html",
        {"form": form, "next": signin.next_url(request, STAFF)},
        status=400 if form.errors else 200,
    )
