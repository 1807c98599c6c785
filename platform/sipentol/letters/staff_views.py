"""Back-office pages for letters: a letter's PDF, templates with a PDF preview, delegations while
the Camat is away, revocation.

Mounted under /kantor/ by sipentol.backoffice; every page needs password + TOTP and the capability
it names. Steps that act on an application (draft, send to the Camat, sign, pickup) are
applications' pages: letters never imports applications.
"""

from __future__ import annotations

import datetime as dt

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from services_catalog.configured.selectors import service_letter_classifications
from sipentol.accounts.decorators import staff_required
from sipentol.accounts.permissions import Capability, holds_signing_certificate, roles_with
from sipentol.accounts.selectors import staff_get_for_admin
from sipentol.docengine.render import TemplateRejected
from sipentol.lib.errors import error_text
from sipentol.lib.web import stored_file_response

from . import selectors, services
from .models import Letter, LetterTemplate, SigningDelegation


# A letter names its holder and their NIK: only staff who see every application open any letter by
# its id. An operator desa reaches the letter of an application they may see through that
# application's page (applications' `application_letter_pdf`).
@staff_required(capability=Capability.SEE_ALL_APPLICATIONS)
@never_cache
@require_GET
def letter_pdf(request, letter_uuid):
    """The letter's PDF for staff: the signed file once signed, else the draft preview."""
    letter = get_object_or_404(Letter, uuid=letter_uuid)
    key = letter.signed_pdf_key or letter.pdf_key
    if not key:
        raise Http404
    return stored_file_response(key, content_type="application/pdf", filename=f"surat-{letter.uuid}.pdf")


# ------------------------------------------------------------------ templates
@staff_required(capability=Capability.EDIT_LETTER_TEMPLATES)
@never_cache
@require_http_methods(["GET", "POST"])
def template_list(request):
    """Every template (defaults not stored yet included, nothing written on GET); a POST refreshes
    the stored templates no admin has edited from today's defaults."""
    if request.method == "POST":
        changed = services.letter_templates_init()
        done = ngettext(
            "%(n)d templat surat bawaan dipasang atau diperbarui.",
            "%(n)d templat surat bawaan dipasang atau diperbarui.",
            changed,
        )
        messages.success(request, done % {"n": changed})
        return redirect("staff:letter-templates")
    codes = service_letter_classifications()
    rows = [(t, codes.get(t.service_slug, "")) for t in selectors.letter_templates_for_admin()]
    return render(
        request,
        "letters/staff/templates.html",
        {"rows": rows, "outdated": selectors.letter_templates_outdated()},
    )


def _template_page(request, template: LetterTemplate, html: str, css: str, *, status: int = 200) -> HttpResponse:
    """The edit page; the classification is the service's, shown read-only with a link to where it is edited."""
    context = {
        "template": template,
        "html": html,
        "css": css,
        "classification": service_letter_classifications().get(template.service_slug, ""),
    }
    return render(request, "letters/staff/template_edit.html", context, status=status)


@staff_required(capability=Capability.EDIT_LETTER_TEMPLATES)
@never_cache
@require_http_methods(["GET", "POST"])
def template_edit(request, slug: str):
    template = selectors.letter_template_for_admin(slug)
    if template is None:
        raise Http404
    if request.method == "POST":
        html, css = request.POST.get("html", ""), request.POST.get("css", "")
        if request.POST.get("action") == "preview":
            try:
                pdf = services.letter_template_preview(html, css, sample_data=_sample_data(template))
            except (ValidationError, TemplateRejected) as exc:
                messages.error(request, error_text(exc))
                return _template_page(request, template, html, css, status=400)
            response = HttpResponse(pdf, content_type="application/pdf")
            response["Content-Disposition"] = f'inline; filename="pratinjau-{slug}.pdf"'
            return response
        try:
            services.letter_template_update(template=template, html=html, css=css, actor=request.user)
        except (ValidationError, TemplateRejected) as exc:
            messages.error(request, error_text(exc))
            return _template_page(request, template, html, css, status=400)
        messages.success(request, _("Templat surat disimpan."))
        return redirect("staff:letter-template", slug=slug)
    return _template_page(request, template, template.html, template.css)


SAMPLE_BY_TYPE = {
    "date": "2026-12-01",
    "number": "2",
    "nik": "3516160101900001",
    "kk": "3516160101090003",
    "phone": "+6281234567890",
    "email": "warga@example.id",
    "desa": "Jetis",
    "textarea": "Dusun Kedungsari RT 002 RW 001",
}


def _sample_data(template: LetterTemplate) -> dict:
    """Plausible values for every field of the service, so the preview shows a full letter."""
    from services_catalog.configured.models import KecamatanService

    service = KecamatanService.objects.filter(slug=template.service_slug).first()
    data = {
        "title": template.title,
        "holder_name": "Siti Aminah",
        "holder_nik": "3516160101900001",
        "nama": "Siti Aminah",
        "nik": "3516160101900001",
        "kode_lacak": "JTS-2612-7K3Q",
    }
    for spec in service.form_fields if service else []:
        data.setdefault(spec["name"], SAMPLE_BY_TYPE.get(spec.get("type", "text"), spec.get("label", "")))
    return data


# ------------------------------------------------------------------ delegations
@staff_required(capability=Capability.MANAGE_DELEGATIONS)
@never_cache
@require_http_methods(["GET", "POST"])
def delegations(request):
    User = get_user_model()
    candidates = User.objects.filter(staff__role__in=roles_with(Capability.SIGN_BY_DELEGATION), is_active=True)
    if request.method == "POST":
        try:
            delegate = candidates.get(pk=request.POST.get("delegate"))
            starts = dt.date.fromisoformat(request.POST.get("starts_on", ""))
            ends = dt.date.fromisoformat(request.POST.get("ends_on", ""))
            services.signing_delegation_create(
                delegate=delegate,
                capacity=request.POST.get("capacity", ""),
                starts_on=starts,
                ends_on=ends,
                note=request.POST.get("note", ""),
                actor=request.user,
            )
        except (User.DoesNotExist, ValueError, ValidationError) as exc:
            text = (
                error_text(exc)
                if isinstance(exc, ValidationError)
                else _("Pilih pejabat, jenis pelimpahan, serta tanggal mulai dan selesai (format tanggal yang benar).")
            )
            messages.error(request, text)
        else:
            messages.success(request, _("Pelimpahan wewenang tanda tangan dicatat."))
        return redirect("staff:delegations")
    return render(
        request,
        "letters/staff/delegations.html",
        {
            "delegations": SigningDelegation.objects.select_related("delegate").order_by("-starts_on")[:50],
            "candidates": candidates.order_by("first_name"),
            "capacities": SigningDelegation.Capacity.choices,
            "today": timezone.localdate(),
        },
    )


@staff_required(capability=Capability.REVOKE_LETTER)
@require_POST
def revoke(request, letter_uuid):
    letter = get_object_or_404(Letter, uuid=letter_uuid)
    try:
        services.letter_revoke(letter=letter, actor=request.user, reason=request.POST.get("reason", ""))
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, _("Surat %(number)s dicabut.") % {"number": letter.number})
    if letter.application_id:
        return redirect("staff:detail", pk=letter.application_id)
    return redirect("staff:queue")


# ------------------------------------------------------------------ signer certificates
class CertificateForm(forms.Form):
    p12 = forms.FileField(label=_l("Berkas sertifikat (.p12 / .pfx)"))
    password = forms.CharField(label=_l("Kata sandi sertifikat"), required=False, widget=forms.PasswordInput)


class BsreEnrolForm(forms.Form):
    nik = forms.CharField(
        label=_l("NIK penanda tangan (sesuai pendaftaran BSrE)"),
        min_length=16,
        max_length=16,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    user_id = forms.CharField(label=_l("ID pengguna BSrE"), max_length=120)


@staff_required(capability=Capability.MANAGE_SIGNERS)
@sensitive_post_parameters("password", "nik")
@sensitive_variables("password")
@never_cache
@require_http_methods(["GET", "POST"])
def staff_certificate(request, pk: int):
    """A signer's credential: the one in use; a new PKCS#12, or an enrolment with BSrE (NIK and
    BSrE user id) with a "test" call to BSrE that shows its answer (admin kecamatan)."""
    member = staff_get_for_admin(pk=pk)
    signer = holds_signing_certificate(member)
    form = CertificateForm() if signer else None
    bsre_form = BsreEnrolForm() if signer else None
    credential = selectors.signer_credential_active(user=member) if signer else None
    status = 200
    action = request.POST.get("action", "p12")
    if request.method == "POST" and not signer:
        status = 400
    elif request.method == "POST" and action == "check":
        if credential is None or credential.kind != credential.Kind.BSRE:
            messages.error(request, _("Daftarkan dulu penanda tangan ini di BSrE (NIK dan ID pengguna)."))
        else:
            answer = services.signer_bsre_check(actor=request.user, credential=credential)
            if answer.ok:
                messages.success(request, _("BSrE: %(message)s") % {"message": answer.message})
            else:
                messages.error(request, _("BSrE menolak atau gagal: %(message)s") % {"message": answer.message})
        return redirect("staff:staff-admin-certificate", pk=member.pk)
    elif request.method == "POST" and action == "bsre":
        bsre_form = BsreEnrolForm(request.POST)
        if bsre_form.is_valid():
            try:
                services.signer_bsre_enrol(
                    actor=request.user,
                    user=member,
                    nik=bsre_form.cleaned_data["nik"],
                    user_id=bsre_form.cleaned_data["user_id"],
                )
            except ValidationError as error:
                bsre_form.add_error("nik", error.messages)
            else:
                messages.success(
                    request,
                    _("Penanda tangan didaftarkan untuk BSrE. Tekan “Uji ke BSrE” untuk memeriksanya."),
                )
                return redirect("staff:staff-admin-certificate", pk=member.pk)
        status = 400
    elif request.method == "POST":
        form = CertificateForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["p12"]
            try:
                services.signer_certificate_upload(
                    actor=request.user,
                    user=member,
                    p12=upload.read(services.MAX_P12_BYTES + 1),
                    password=form.cleaned_data["password"],
                )
            except ValidationError as error:
                form.add_error("p12", error.messages)
            else:
                messages.success(
                    request, _("Sertifikat tanda tangan disimpan dan dipakai untuk tanda tangan berikutnya.")
                )
                return redirect("staff:staff-admin-certificate", pk=member.pk)
        status = 400
    context = {
        "member": member,
        "signer": signer,
        "signer_refusal": services.SIGNER_ROLE_REFUSAL,
        "form": form,
        "bsre_form": bsre_form,
        "credential": credential,
        "expiry_warning_days": selectors.EXPIRY_WARNING_DAYS,
    }
    return render(request, "letters/staff/certificate.html", context, status=status)


class TrustAnchorForm(forms.Form):
    certificate = forms.FileField(label=_l("Sertifikat CA akar atau antara (.crt, .cer, .pem; PEM atau DER)"))
    name = forms.CharField(label=_l("Nama (boleh kosong: diambil dari sertifikat)"), max_length=150, required=False)


@staff_required(capability=Capability.MANAGE_SIGNERS)
@never_cache
@require_http_methods(["GET", "POST"])
def signers(request):
    """Every staff member whose role may sign, their credential and its validity (a warning
    within EXPIRY_WARNING_DAYS of its end), and the trusted root and intermediate certificates."""
    form = TrustAnchorForm()
    status = 200
    if request.method == "POST" and request.POST.get("action") == "remove":
        anchor = get_object_or_404(selectors.trust_anchors_for_admin(), pk=request.POST.get("anchor") or 0)
        services.trust_anchor_remove(actor=request.user, anchor=anchor)
        messages.success(request, _("Sertifikat %(name)s tidak lagi dipercaya.") % {"name": anchor.name})
        return redirect("staff:signers")
    if request.method == "POST":
        form = TrustAnchorForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                anchor = services.trust_anchor_register(
                    actor=request.user,
                    data=form.cleaned_data["certificate"].read(services.MAX_CA_CERTIFICATE_BYTES + 1),
                    name=form.cleaned_data["name"],
                )
            except ValidationError as error:
                form.add_error("certificate", error.messages)
            else:
                messages.success(
                    request,
                    _("%(kind)s %(name)s didaftarkan.") % {"kind": anchor.get_kind_display(), "name": anchor.name},
                )
                return redirect("staff:signers")
        status = 400
    User = get_user_model()
    signer_ids = User.objects.filter(staff__role__in=roles_with(Capability.SIGN_LETTERS), is_active=True).values_list(
        "pk", flat=True
    )
    context = {
        "rows": selectors.signers_for_admin(signer_ids),
        "anchors": selectors.trust_anchors_for_admin(),
        "form": form,
        "expiry_warning_days": selectors.EXPIRY_WARNING_DAYS,
    }
    return render(request, "letters/staff/signers.html", context, status=status)


# ------------------------------------------------------------------ letterhead
class LetterheadLogoForm(forms.Form):
    logo = forms.FileField(label=_l("Logo kecamatan (PNG atau JPG, di bawah 2 MB)"))


@staff_required(capability=Capability.EDIT_LETTER_TEMPLATES)
@never_cache
@require_http_methods(["GET", "POST"])
def letterhead(request):
    """The kecamatan's letterhead: its logo (uploaded here) beside the office's name and address."""
    form = LetterheadLogoForm()
    status = 200
    if request.method == "POST":
        form = LetterheadLogoForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["logo"]
            try:
                services.letterhead_logo_upload(fileobj=upload, original_name=upload.name, actor=request.user)
            except ValidationError as error:
                form.add_error("logo", error.messages)
            else:
                messages.success(request, _("Logo kop surat disimpan. Surat berikutnya memakai logo ini."))
                return redirect("staff:letterhead")
        status = 400
    context = {"form": form, "settings_row": services.letter_settings(), "office": request.tenant}
    return render(request, "letters/staff/letterhead.html", context, status=status)
