"""The one sign-in flow, for the three kinds of account on their three sites:

- kecamatan staff on `<slug>.BASE_DOMAIN/kantor/` (users in the kecamatan's schema),
- Diskominfo operators on `BASE_DOMAIN/ops/` and regency leaders on `BASE_DOMAIN/dashboard/`
  (users in the public schema).

Each site is a `Site` (its URLs, who may enter, where it lands); its URLconf mounts these
views with it. The steps, on every site:

1. password (`login`); then, for staff on a temporary password, a new one (accounts.views);
2. the second factor (`otp`): a TOTP code, or one of the backup codes (django-otp static
   tokens, each usable once). An account without an authenticator first gives the one-time
   enrolment code an admin issued (`services.enrolment_code_issue`); only then does the page
   show the TOTP secret, and confirming it shows ten backup codes once.
An invited person (`invitations.py`) starts instead at `invitation_accept`: the link's token
stands in for the password and for the enrolment code; they choose a username and password,
then enrol their authenticator on the same second-factor page and land on their site.

3. `REAUTH_SECONDS` after the password, changing one's password or second factor asks for the
   password again (`recent_password_required`, `reauthenticate`).

Wrong passwords, enrolment codes and TOTP/backup codes all count as failed sign-ins for
django-axes (per account and per client address, in the schema where the account lives): after
`AXES_FAILURE_LIMIT` of them the account and the address are locked for `AXES_COOLOFF_TIME`,
and `locked_out` says until when. Every step, failure, lockout and sign-out is a `SignInEvent`.
"""

from __future__ import annotations

import base64
import io
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from urllib.parse import urlencode

from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_client_ip_address
from django import forms
from django.conf import settings
from django.contrib.auth import authenticate, get_user_model, password_validation, user_login_failed
from django.contrib.auth import login as auth_login
from django.contrib.auth import logout as auth_logout
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice

from . import invitations, middleware, services
from .models import SignInEvent
from .permissions import staff_role

AUTH_AT = "signin_password_at"  # session: when the password was last given (epoch seconds)
ENROLMENT_OPENED = "signin_enrolment_user"  # session: this user gave a valid enrolment code
BACKUP_CODES_SHOWN = "signin_backup_codes"  # session: codes to show once, then dropped


@dataclass(frozen=True)
class Site:
    name: str  # "staff", "ops", "dashboard": SignInEvent.site
    prefix: str  # "/kantor/"
    heading: str  # the sign-in page's title (lazy)
    may_enter: Callable[[object], bool]
    password_change_url: str = ""  # noqa: S105 (a URL) staff only: where a temporary password is replaced

    @property
    def login_url(self) -> str:
        return f"{self.prefix}masuk/"

    @property
    def otp_url(self) -> str:
        return f"{self.prefix}masuk/otp/"

    @property
    def logout_url(self) -> str:
        return f"{self.prefix}keluar/"

    @property
    def reauth_url(self) -> str:
        return f"{self.prefix}masuk/ulang/"


def _staff_may_enter(user) -> bool:
    return staff_role(user) is not None


def _must_change_password(user) -> bool:
    profile = getattr(user, "staff", None) if user.is_authenticated else None
    return bool(profile and profile.must_change_password)


STAFF = Site(
    name="staff",
    prefix="/kantor/",
    heading=gettext_lazy("Masuk petugas kecamatan"),
    may_enter=_staff_may_enter,
    password_change_url="/kantor/ganti-kata-sandi/",  # noqa: S106 (a URL)
)


def next_url(request, site: Site) -> str:
    target = request.POST.get("next") or request.GET.get("next") or site.prefix
    if not target.startswith("/") or not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return site.prefix
    return target


def _with_next(url: str, request, site: Site) -> str:
    return f"{url}?{urlencode({'next': next_url(request, site)})}"


def _record(request, site: Site, action: str, *, username: str, user=None, **details) -> None:
    services.sign_in_event_record(
        site=site.name,
        action=action,
        username=username,
        user=user,
        ip_address=get_client_ip_address(request),
        details=details,
    )


def _failed(request, site: Site, action: str, *, username: str, user=None, count: bool = True) -> None:
    """A failed step: audited, and counted by django-axes (which may lock the account now)."""
    if count:
        user_login_failed.send(sender=__name__, credentials={"username": username}, request=request)
    _record(request, site, action, username=username, user=user)
    if getattr(request, "axes_locked_out", False):
        _record(request, site, SignInEvent.Action.LOCKED_OUT, username=username, user=user)


def locked_out(request, original_response=None, credentials=None, *args, **kwargs):
    """AXES_LOCKOUT_CALLABLE: the page a locked-out sign-in gets (429), saying when to try again."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    until = timezone.localtime(timezone.now() + settings.AXES_COOLOFF_TIME)
    if request.user.is_authenticated and not getattr(request.user, "is_verified", lambda: False)():
        auth_logout(request)  # half-signed-in: start again with the password after the cool-off
    message = _(
        "Terlalu banyak percobaan masuk yang gagal, jadi akun dan alamat ini dikunci sementara. "
        "Coba lagi dalam %(minutes)s menit (setelah pukul %(until)s). "
        "Lupa kata sandi atau kehilangan HP? Hubungi admin Anda."
    ) % {"minutes": minutes, "until": until.strftime("%H:%M")}
    return render(request, "accounts/locked_out.html", {"message": message}, status=429)


@sensitive_post_parameters("password")
@csrf_protect
@never_cache
@require_http_methods(["GET", "POST"])
def login(request, site: Site, *, template: str = "accounts/login.html"):
    """Step 1, the password. Users live in the schema of the host: another kecamatan's staff,
    or a staff member at /ops/, finds no account here."""
    error = ""
    username = request.POST.get("username", "").strip()
    if request.method == "POST":
        user = authenticate(request, username=username, password=request.POST.get("password", ""))
        if user is not None and not site.may_enter(user):
            _failed(request, site, SignInEvent.Action.PASSWORD_FAILED, username=username, user=user)
            user = None
        elif user is None:
            # authenticate() already told axes (user_login_failed); only the audit is left.
            _failed(request, site, SignInEvent.Action.PASSWORD_FAILED, username=username, count=False)
        if user is None:
            error = _("Nama pengguna atau kata sandi salah, atau akun ini tidak berhak masuk di sini. Periksa lagi.")
        else:
            auth_login(request, user)
            now = int(time.time())
            request.session.update({AUTH_AT: now, middleware.STARTED: now, middleware.LAST_SEEN: now})
            _record(request, site, SignInEvent.Action.PASSWORD_OK, username=username, user=user)
            if site.password_change_url and _must_change_password(user):
                return redirect(_with_next(site.password_change_url, request, site))
            return redirect(_with_next(site.otp_url, request, site))
    return render(
        request,
        template,
        {"error": error, "next": next_url(request, site), "username": username, "site": site},
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


def _signed_in(request, site: Site, user, device, action: str):
    otp_login(request, device)
    request.session.cycle_key()
    AxesProxyHandler.reset_attempts(username=user.get_username())
    _record(request, site, action, username=user.get_username(), user=user)


@sensitive_post_parameters("token", "enrolment_code")
@csrf_protect
@never_cache
@require_http_methods(["GET", "POST"])
def otp(request, site: Site):
    """Step 2, the second factor; an account without one first gives its enrolment code."""
    user = request.user
    if not user.is_authenticated or not site.may_enter(user):
        return redirect(_with_next(site.login_url, request, site))
    if site.password_change_url and _must_change_password(user):
        return redirect(_with_next(site.password_change_url, request, site))
    if codes := request.session.pop(BACKUP_CODES_SHOWN, None):
        return render(request, "accounts/backup_codes.html", {"codes": codes, "next": next_url(request, site)})
    if user.is_verified():
        return redirect(next_url(request, site))
    username = user.get_username()
    if not AxesProxyHandler.is_allowed(request, {"username": username}):
        _record(request, site, SignInEvent.Action.LOCKED_OUT, username=username, user=user)
        return locked_out(request)
    enrolled = services.two_factor_enrolled(user)
    if not enrolled and request.session.get(ENROLMENT_OPENED) != user.pk:
        return _enrolment_code(request, site, user)

    device, confirmed = services.totp_device_for(user=user)
    error = ""
    if request.method == "POST":
        raw = request.POST.get("token", "").strip().replace(" ", "").replace("-", "")
        if confirmed:
            if raw.isdigit() and device.verify_token(raw):
                _signed_in(request, site, user, device, SignInEvent.Action.SIGNED_IN)
                return redirect(next_url(request, site))
            backup = StaticDevice.objects.filter(user=user, confirmed=True).first()
            if raw and not raw.isdigit() and backup is not None and backup.verify_token(raw.lower()):
                _signed_in(request, site, user, backup, SignInEvent.Action.BACKUP_CODE_USED)
                return redirect(next_url(request, site))
        else:
            codes = services.totp_device_confirm(device=device, token=raw) if raw.isdigit() else None
            if codes is not None:
                _record(request, site, SignInEvent.Action.ENROLLED, username=username, user=user)
                _signed_in(request, site, user, device, SignInEvent.Action.SIGNED_IN)
                request.session.pop(ENROLMENT_OPENED, None)
                request.session[BACKUP_CODES_SHOWN] = codes
                return redirect(_with_next(site.otp_url, request, site))
        _failed(request, site, SignInEvent.Action.OTP_FAILED, username=username, user=user)
        error = _(
            "Kode salah atau sudah kedaluwarsa. Masukkan 6 angka terbaru dari aplikasi autentikator, "
            "atau salah satu kode cadangan."
        )
    context = {"confirmed": confirmed, "error": error, "next": next_url(request, site), "site": site}
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


def _enrolment_code(request, site: Site, user):
    error = ""
    if request.method == "POST":
        if services.enrolment_code_check(user=user, code=request.POST.get("enrolment_code", "")):
            request.session[ENROLMENT_OPENED] = user.pk
            return redirect(_with_next(site.otp_url, request, site))
        _failed(request, site, SignInEvent.Action.ENROLMENT_CODE_FAILED, username=user.get_username(), user=user)
        error = _(
            "Kode pendaftaran salah, sudah dipakai, atau sudah kedaluwarsa. "
            "Minta kode baru kepada admin yang membuat akun Anda."
        )
    return render(
        request,
        "accounts/enrolment_code.html",
        {"error": error, "next": next_url(request, site), "site": site},
        status=400 if error else 200,
    )


@require_POST
def logout(request, site: Site):
    if request.user.is_authenticated:
        _record(request, site, SignInEvent.Action.SIGNED_OUT, username=request.user.get_username(), user=request.user)
    auth_logout(request)
    return redirect(site.login_url)


def password_recent(request) -> bool:
    given = request.session.get(AUTH_AT, 0)
    return time.time() - given <= settings.REAUTH_SECONDS


def recent_password_required(site: Site):
    """Changing one's password or second factor: the password must have been given in the last
    REAUTH_SECONDS, else it is asked again (`reauthenticate`) and the visitor comes back."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if request.user.is_authenticated and not password_recent(request):
                return redirect(f"{site.reauth_url}?{urlencode({'next': request.get_full_path()}, safe='/')}")
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


@sensitive_post_parameters("password")
@csrf_protect
@never_cache
@require_http_methods(["GET", "POST"])
def reauthenticate(request, site: Site):
    """The password again, for a change to the account's own password or second factor."""
    user = request.user
    if not user.is_authenticated or not site.may_enter(user):
        return redirect(_with_next(site.login_url, request, site))
    error = ""
    if request.method == "POST":
        username = user.get_username()
        again = authenticate(request, username=username, password=request.POST.get("password", ""))
        if again is not None and again.pk == user.pk:
            request.session[AUTH_AT] = int(time.time())
            _record(request, site, SignInEvent.Action.REAUTHENTICATED, username=username, user=user)
            return redirect(next_url(request, site))
        _failed(request, site, SignInEvent.Action.PASSWORD_FAILED, username=username, user=user, count=False)
        error = _("Kata sandi salah. Masukkan kata sandi Anda untuk melanjutkan.")
    return render(
        request,
        "accounts/reauthenticate.html",
        {"error": error, "next": next_url(request, site), "site": site},
        status=400 if error else 200,
    )


def second_factor_required(site: Site, *, forbidden: Callable | None = None):
    """For the ops console and the regency dashboard: anonymous -> the site's sign-in page; an
    account the site does not admit -> `forbidden(request)` (else the sign-in page); password
    without second factor -> the second-factor page."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            user = request.user
            back = urlencode({"next": request.get_full_path()}, safe="/")
            if not user.is_authenticated:
                return redirect(f"{site.login_url}?{back}")
            if not site.may_enter(user):
                return forbidden(request) if forbidden else redirect(f"{site.login_url}?{back}")
            if not user.is_verified():
                return redirect(f"{site.otp_url}?{back}")
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def backup_codes_renew(request, site: Site):
    """POST: replace one's own backup codes (a change to the second factor): needs the full sign-in
    and the password given in the last REAUTH_SECONDS; the new codes are shown once."""

    @second_factor_required(site)
    @recent_password_required(site)
    @never_cache
    @require_POST
    def renew(request):
        user = request.user
        request.session[BACKUP_CODES_SHOWN] = services.backup_codes_issue(user=user)
        _record(request, site, SignInEvent.Action.BACKUP_CODES_RENEWED, username=user.get_username(), user=user)
        return redirect(_with_next(site.otp_url, request, site))

    return renew(request)


# ------------------------------------------------------------------ invitations


class InvitationForm(forms.Form):
    username = forms.CharField(
        label=gettext_lazy("Nama pengguna"), max_length=150, validators=[get_user_model().username_validator]
    )
    password1 = forms.CharField(label=gettext_lazy("Kata sandi baru"), strip=False, widget=forms.PasswordInput)
    password2 = forms.CharField(label=gettext_lazy("Ulangi kata sandi"), strip=False, widget=forms.PasswordInput)

    def __init__(self, *args, invitation, **kwargs):
        super().__init__(*args, **kwargs)
        self.invitation = invitation

    def clean(self):
        data = super().clean()
        first, second = data.get("password1"), data.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("Kedua kata sandi tidak sama. Ketik ulang."))
        elif first and data.get("username"):
            candidate = get_user_model()(
                username=data["username"], first_name=self.invitation.full_name, email=self.invitation.email
            )
            try:
                password_validation.validate_password(first, user=candidate)
            except ValidationError as exc:
                self.add_error("password1", exc)
        return data


class InvitationPasswordForm(forms.Form):
    password = forms.CharField(label=gettext_lazy("Kata sandi"), strip=False, widget=forms.PasswordInput)


def _enrolment_open(request, site: Site, user, *, password_given: bool):
    if password_given:
        auth_login(request, user)
        now = int(time.time())
        request.session.update({AUTH_AT: now, middleware.STARTED: now, middleware.LAST_SEEN: now})
    request.session[ENROLMENT_OPENED] = user.pk
    return redirect(f"{site.otp_url}?{urlencode({'next': site.prefix})}")


def _invitation_second_factor(request, site: Site, invitation):
    """The account exists and its authenticator does not yet: the link stands in for the
    enrolment code again, once the person gives the password they chose (so the link alone
    opens nothing)."""
    user = invitation.user
    if request.user.is_authenticated and request.user.pk == user.pk:
        return _enrolment_open(request, site, user, password_given=False)
    form = InvitationPasswordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        signed = authenticate(request, username=user.get_username(), password=form.cleaned_data["password"])
        if signed is not None and signed.pk == user.pk and site.may_enter(signed):
            _record(
                request,
                site,
                SignInEvent.Action.PASSWORD_OK,
                username=user.get_username(),
                user=user,
                invitation=invitation.pk,
            )
            return _enrolment_open(request, site, signed, password_given=True)
        # authenticate() already told axes about a wrong password; the audit is left.
        _failed(request, site, SignInEvent.Action.PASSWORD_FAILED, username=user.get_username(), count=False)
        form.add_error("password", _("Kata sandi salah. Masukkan kata sandi yang Anda buat lewat tautan ini."))
    return render(
        request,
        "accounts/invitation.html",
        {
            "invitation": invitation,
            "role": invitations.invitation_roles()(invitation.role).label,
            "form": form,
            "site": site,
            "kecamatan": getattr(request, "tenant", None),
            "second_factor": True,
            "username": user.get_username(),
        },
        status=400 if form.errors else 200,
    )


def _invitation_refused_key(request) -> str:
    return f"invitation-refused:{get_client_ip_address(request)}"


@sensitive_post_parameters("password1", "password2")
@csrf_protect
@never_cache
@require_http_methods(["GET", "POST"])
def invitation_accept(request, token: str, site: Site):
    """An invitation's link: who is invited, then username and password (Django's validators);
    the account is made with the invitation's role, the invitation is spent, and the person goes
    on to enrol an authenticator (the invitation stands in for the enrolment code), sees the
    backup codes once and lands on the site. Whoever leaves after the password comes back by the
    same link (`invitations.SECOND_FACTOR`): the password they chose, and only that account's,
    opens the enrolment again. A link that is unknown, expired, used or revoked
    gets a page saying whom to ask; unknown links count towards a lock of the client address
    (AXES_FAILURE_LIMIT per AXES_COOLOFF_TIME), and every refusal is a SignInEvent."""
    if cache.get(_invitation_refused_key(request), 0) >= settings.AXES_FAILURE_LIMIT:
        _record(request, site, SignInEvent.Action.LOCKED_OUT, username="", reason="invitation")
        return locked_out(request)
    invitation, state = invitations.invitation_lookup(token)
    if state == invitations.SECOND_FACTOR:
        if invitations.invitation_site_prefix(invitation) != site.prefix:
            raise Http404("this invitation belongs to another site")
        return _invitation_second_factor(request, site, invitation)
    if state != invitations.VALID:
        if invitation is None:
            key = _invitation_refused_key(request)
            cache.add(key, 0, timeout=int(settings.AXES_COOLOFF_TIME.total_seconds()))
            cache.incr(key)
        username = invitation.username if invitation else ""
        _record(request, site, SignInEvent.Action.INVITATION_REFUSED, username=username, reason=state)
        return render(
            request,
            "accounts/invitation_invalid.html",
            {"state": state, "invitation": invitation, "site": site},
            status=404 if invitation is None else 410,
        )
    if invitations.invitation_site_prefix(invitation) != site.prefix:
        raise Http404("this invitation belongs to another site")
    form = InvitationForm(request.POST or None, invitation=invitation, initial={"username": invitation.username})
    if request.method == "POST" and form.is_valid():
        try:
            user = invitations.invitation_accept(
                invitation=invitation, username=form.cleaned_data["username"], password=form.cleaned_data["password1"]
            )
        except ValidationError as exc:
            form.add_error("username" if hasattr(exc, "error_dict") else None, exc)
        else:
            user = authenticate(request, username=user.get_username(), password=form.cleaned_data["password1"])
            _record(
                request,
                site,
                SignInEvent.Action.INVITATION_ACCEPTED,
                username=user.get_username(),
                user=user,
                invitation=invitation.pk,
            )
            return _enrolment_open(request, site, user, password_given=True)
    return render(
        request,
        "accounts/invitation.html",
        {
            "invitation": invitation,
            "role": invitations.invitation_roles()(invitation.role).label,
            "form": form,
            "site": site,
            "kecamatan": getattr(request, "tenant", None),
        },
        status=400 if form.errors else 200,
    )
