"""Back-office pages of the desa's covering letter: the desa's queue, one request (draft, sign
with a fresh TOTP code, refuse), the desa's template; for the admin kecamatan, the desa API tokens.

Thin: every write is a service in services.py; every request is looked up through
`selectors.pengantar_get_for`, which applies the reader's desa.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from sipentol.accounts.decorators import staff_required
from sipentol.accounts.permissions import Capability, can, staff_desa_code
from sipentol.accounts.services import authenticator_code_ok
from sipentol.docengine.render import TemplateRejected
from sipentol.lib.errors import error_text
from sipentol.lib.web import stored_file_response

from . import selectors, services
from .models import DesaApiToken, PengantarRequest


@staff_required(capability=Capability.VIEW_PENGANTAR)
@require_GET
def queue(request):
    show = "done" if request.GET.get("show") == "done" else "open"
    return render(
        request,
        "desa/queue.html",
        {"rows": selectors.pengantar_queue(request.user, show=show)[:200], "show": show},
    )


@staff_required(capability=Capability.VIEW_PENGANTAR)
@never_cache
@require_GET
def detail(request, pk: int):
    item = selectors.pengantar_get_for(request.user, pk)
    mine = staff_desa_code(request.user) == item.desa_code
    awaited = item.is_open and item.application.status == "awaiting_desa"
    return render(
        request,
        "desa/detail.html",
        {
            "item": item,
            "events": item.events.all(),
            "can_draft": mine and awaited and can(request.user, Capability.DRAFT_PENGANTAR),
            "can_sign": mine
            and awaited
            and item.status == PengantarRequest.Status.DRAFTED
            and can(request.user, Capability.SIGN_PENGANTAR),
            "can_refuse": mine
            and awaited
            and (can(request.user, Capability.DRAFT_PENGANTAR) or can(request.user, Capability.SIGN_PENGANTAR)),
        },
    )


def _step(request, pk: int, action, success: str):
    item = selectors.pengantar_get_for(request.user, pk)
    try:
        action(item)
    except (ValueError, ValidationError, PermissionDenied) as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, success)
    return redirect("staff:pengantar-detail", pk=item.pk)


@staff_required(capability=Capability.DRAFT_PENGANTAR)
@require_POST
def draft(request, pk: int):
    note = request.POST.get("note", "")[:500]
    return _step(
        request,
        pk,
        lambda item: services.pengantar_draft(request=item, actor=request.user, note=note),
        _("Draf pengantar siap; Kepala Desa/Lurah dapat menandatanganinya."),
    )


@staff_required(capability=Capability.SIGN_PENGANTAR)
@require_POST
def sign(request, pk: int):
    def action(item):
        if not authenticator_code_ok(user=request.user, token=request.POST.get("otp", "")):
            raise ValidationError(
                _("Kode verifikasi salah atau sudah dipakai. Masukkan kode baru dari aplikasi autentikator.")
            )
        services.pengantar_sign(request=item, actor=request.user, second_factor_ok=True)

    return _step(request, pk, action, _("Pengantar ditandatangani dan sudah masuk ke permohonan di kecamatan."))


@staff_required(capability=Capability.VIEW_PENGANTAR)
@require_POST
def refuse(request, pk: int):
    reason = request.POST.get("reason", "")[:500]
    return _step(
        request,
        pk,
        lambda item: services.pengantar_refuse(request=item, actor=request.user, reason=reason),
        _("Permintaan ditolak; pemohon menerima alasannya."),
    )


@staff_required(capability=Capability.VIEW_PENGANTAR)
@never_cache
@require_GET
def pdf(request, pk: int):
    item = selectors.pengantar_get_for(request.user, pk)
    key = item.signed_pdf_key or item.pdf_key
    if not key:
        raise Http404
    return stored_file_response(key, content_type="application/pdf", filename=f"pengantar-{item.tracking_code}.pdf")


class DesaTemplateForm(forms.Form):
    head_title = forms.CharField(label=_l("Jabatan penanda tangan"), max_length=60)
    address = forms.CharField(label=_l("Alamat kantor desa"), max_length=200, required=False)
    phone = forms.CharField(label=_l("Telepon"), max_length=30, required=False)
    unit_code = forms.CharField(label=_l("Kode unit pada nomor (kosong: kode desa)"), max_length=30, required=False)
    deadline_working_days = forms.IntegerField(label=_l("Batas waktu desa (hari kerja)"), min_value=1, max_value=10)
    body_html = forms.CharField(label=_l("Isi surat pengantar"), widget=forms.Textarea(attrs={"rows": 14}))


@staff_required(capability=Capability.EDIT_DESA_TEMPLATE)
@require_http_methods(["GET", "POST"])
def template(request):
    """The desa's letterhead, signer title, numbering unit, deadline and wording (its own desa only)."""
    code = staff_desa_code(request.user)
    if not code:
        return render(request, "desa/template.html", {"form": None}, status=200)
    if request.method == "POST":
        form = DesaTemplateForm(request.POST)
        if form.is_valid():
            try:
                services.desa_profile_update(actor=request.user, desa_code=code, **form.cleaned_data)
            except TemplateRejected as exc:
                form.add_error("body_html", str(exc))
            else:
                messages.success(request, _("Templat desa disimpan."))
                return redirect("staff:desa-template")
        return render(request, "desa/template.html", {"form": form}, status=400)
    profile = selectors.desa_profile_or_default(code)
    initial = {
        "head_title": profile.head_title,
        "address": profile.address,
        "phone": profile.phone,
        "unit_code": profile.unit_code,
        "deadline_working_days": profile.deadline_working_days,
        "body_html": profile.body_html,
    }
    return render(request, "desa/template.html", {"form": DesaTemplateForm(initial=initial)})


@staff_required(capability=Capability.MANAGE_DESA_LINKS)
@never_cache
@require_http_methods(["GET", "POST"])
def tokens(request):
    """Issue a token for a desa's information system (shown once), list and revoke them."""
    issued = None
    status = 200
    if request.method == "POST":
        try:
            _token, issued = services.desa_api_token_issue(
                actor=request.user, desa_code=request.POST.get("desa_code", ""), name=request.POST.get("name", "")
            )
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, error_text(exc))
            status = 400
    return render(
        request,
        "desa/tokens.html",
        {
            "tokens": selectors.desa_api_tokens(),
            "desa_choices": selectors.desa_choices(request.tenant),
            "issued": issued,
        },
        status=status,
    )


@staff_required(capability=Capability.MANAGE_DESA_LINKS)
@require_POST
def token_revoke(request, pk: int):
    token = get_object_or_404(DesaApiToken, pk=pk)
    services.desa_api_token_revoke(actor=request.user, token=token)
    messages.success(request, _("Token dicabut; sistem desa itu tidak dapat lagi mengirim pengantar."))
    return redirect("staff:desa-tokens")
