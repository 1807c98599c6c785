"""Back-office sign-in on a kecamatan's host: password, then a TOTP code (enrolled on first login)."""

from __future__ import annotations

import base64
import io
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import authenticate, login, logout, update_session_auth_hash
from django.contrib.auth.forms import SetPasswordForm
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import login as otp_login

from . import services
from .decorators import must_change_password, staff_role


def _next(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or "/kantor/"
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}) or not target.startswith("/"):
        return "/kantor/"
    return target


@sensitive_post_parameters("password")
@csrf_protect
@never_cache
@require_http_methods(["GET", "POST"])
def login_view(request):
    error = ""
    if request.method == "POST":
        username = request.POST.get("username", "").strip()
        user = authenticate(request, username=username, password=request.POST.get("password", ""))
        # Users live in this kecamatan's schema: a login from another kecamatan finds no user here.
        if user is None or staff_role(user) is None:
            error = _("Nama pengguna atau kata sandi salah, atau akun ini bukan petugas kecamatan ini. Periksa lagi.")
        else:
            login(request, user)
            if must_change_password(user):
                return redirect(f"/kantor/ganti-kata-sandi/?{urlencode({'next': _next(request)})}")
            return redirect(f"/kantor/masuk/otp/?{urlencode({'next': _next(request)})}")
    return render(
        request,
        "accounts/login.html",
        {"error": error, "next": _next(request), "username": request.POST.get("username", "")},
        status=400 if error else 200,
    )


def _qr_svg(uri: str) -> str:
    import qrcode
    import qrcode.image.svg

    image = qrcode.make(uri, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    buf = io.BytesIO()
    image.save(buf)
    svg = buf.getvalue().decode()
    return svg[svg.index("<svg") :]  # drop the XML declaration to inline it


@sensitive_post_parameters("token")
@csrf_protect
@never_cache
@require_http_methods(["GET", "POST"])
def otp_view(request):
    user = request.user
    if staff_role(user) is None:
        return redirect("/kantor/masuk/")
    if must_change_password(user):
        return redirect(f"/kantor/ganti-kata-sandi/?{urlencode({'next': _next(request)})}")
    if user.is_verified():
        return redirect(_next(request))
    device, confirmed = services.totp_device_for(user=user)
    error = ""
    if request.method == "POST":
        token = "".join(c for c in request.POST.get("token", "") if c.isdigit())
        allowed, _why = device.verify_is_allowed()
        ok = device.verify_token(token) if confirmed else services.totp_device_confirm(device=device, token=token)
        if ok:
            otp_login(request, device)
            request.session.cycle_key()
            return redirect(_next(request))
        if not allowed:
            error = _("Terlalu banyak kode salah. Tunggu beberapa detik, lalu masukkan kode terbaru.")
        else:
            error = _("Kode salah atau sudah kedaluwarsa. Masukkan 6 angka terbaru dari aplikasi autentikator.")
    context = {"confirmed": confirmed, "error": error, "next": _next(request)}
    if not confirmed:
        uri = device.config_url  # otpauth://totp/<user>?secret=...&issuer=...
        context.update(
            {
                "secret": base64.b32encode(device.bin_key).decode().rstrip("="),
                "uri": uri,
                "qr_svg": _qr_svg(uri),
                "issuer": settings.OTP_TOTP_ISSUER,
            }
        )
    return render(request, "accounts/otp.html", context, status=400 if error else 200)


@require_POST
def logout_view(request):
    logout(request)
    return redirect("/kantor/masuk/")


@sensitive_post_parameters("new_password1", "new_password2")
@csrf_protect
@never_cache
@require_http_methods(["GET", "POST"])
def password_change_view(request):
    """First login after an admin gave a temporary password: choose one's own (Django's validators)."""
    user = request.user
    if staff_role(user) is None:
        return redirect("/kantor/masuk/")
    if not must_change_password(user):
        return redirect(_next(request))
    form = SetPasswordForm(user, request.POST or None)
    form.fields["new_password1"].help_text = ""  # HTML list; the page explains the rules in words
    if request.method == "POST" and form.is_valid():
        services.staff_password_change(user=user, password=form.cleaned_data["new_password1"])
        update_session_auth_hash(request, user)  # stay signed in with the new password
        return redirect(f"/kantor/masuk/otp/?{urlencode({'next': _next(request)})}")
    return render(
        request,
        "accounts/password_change.html",
        {"form": form, "next": _next(request)},
        status=400 if form.errors else 200,
    )
