"""The admin kecamatan's pages: staff accounts (`/kantor/petugas/`) and the office profile (`/kantor/profil-kantor/`).

Thin: the forms parse what the browser sent; rules and writes live in `services` (each leaves a
StaffEvent) and `tenants.services.kecamatan_update_profile`. A temporary password is rendered
in the response to the POST that made it (no redirect, no session, `no-store`), so it exists
only on that one page.
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_variables
from django.views.decorators.http import require_http_methods, require_POST

from . import selectors, services
from .decorators import staff_required
from .models import Role
from .permissions import Capability, holds_signing_certificate


class StaffForm(forms.Form):
    role = forms.ChoiceField(label=_l("Peran"), choices=Role.choices)
    position = forms.CharField(label=_l("Jabatan"), max_length=120, required=False)
    nip = forms.CharField(
        label=_l("NIP"),
        max_length=30,
        required=False,
        help_text=_l("18 angka, untuk ASN. Kosongkan bila tidak punya NIP."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    desa_code = forms.ChoiceField(
        label=_l("Desa"), required=False, help_text=_l("Wajib untuk operator desa: desa tempat ia bertugas.")
    )

    def __init__(self, *args, kecamatan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["desa_code"].choices = [
            ("", _("— bukan operator desa —")),
            *selectors.desa_choices(kecamatan=kecamatan),
        ]


class StaffCreateForm(StaffForm):
    username = forms.RegexField(
        label=_l("Nama pengguna"),
        regex=r"^[A-Za-z0-9._-]{3,40}$",
        help_text=_l("3 sampai 40 huruf, angka, titik, garis bawah atau tanda hubung; contoh budi.santoso."),
        error_messages={
            "invalid": _l("Nama pengguna hanya boleh huruf, angka, titik, garis bawah dan tanda hubung (3-40).")
        },
        widget=forms.TextInput(attrs={"autocapitalize": "none", "autocomplete": "off"}),
    )
    full_name = forms.CharField(label=_l("Nama lengkap"), max_length=150)
    email = forms.EmailField(label=_l("E-mail"), required=False)
    field_order = ["username", "full_name", "role", "position", "nip", "desa_code", "email"]


class OfficeProfileForm(forms.Form):
    address = forms.CharField(label=_l("Alamat kantor"), max_length=300, required=False)
    phone = forms.CharField(label=_l("Telepon"), max_length=30, required=False)
    whatsapp = forms.RegexField(
        label=_l("WhatsApp"),
        regex=r"^\+?[0-9 -]{8,20}$",
        max_length=30,
        required=False,
        help_text=_l("Nomor HP yang dipakai untuk WhatsApp, contoh 081234567890."),
        error_messages={"invalid": _l("Tulis nomor WhatsApp dengan angka saja, contoh 081234567890.")},
    )
    email = forms.EmailField(label=_l("E-mail"), required=False)
    office_hours = forms.CharField(
        label=_l("Jam layanan"),
        max_length=200,
        required=False,
        help_text=_l("Contoh: Senin-Kamis 07.30-15.30, Jumat 07.30-11.00"),
    )


def _apply_errors(form: forms.Form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _no_store(response):
    response["Cache-Control"] = "no-store"
    return response


@staff_required(capability=Capability.MANAGE_STAFF)
@never_cache
def staff_list(request):
    names = selectors.desa_names(kecamatan=request.tenant)
    staff = list(selectors.staff_list())
    for member in staff:
        member.desa_name = names.get(member.staff.desa_code, member.staff.desa_code)
    return render(request, "accounts/admin/staff_list.html", {"staff": staff})


@staff_required(capability=Capability.MANAGE_STAFF)
@sensitive_variables("password")
@never_cache
@require_http_methods(["GET", "POST"])
def staff_create(request):
    form = StaffCreateForm(request.POST or None, kecamatan=request.tenant)
    if request.method == "POST" and form.is_valid():
        try:
            user, password, code = services.staff_create(
                actor=request.user, kecamatan=request.tenant, **form.cleaned_data
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            return _no_store(
                render(
                    request,
                    "accounts/admin/temporary_password.html",
                    {
                        "member": user,
                        "password": password,
                        "enrolment_code": code,
                        "enrolment_code_hours": settings.ENROLMENT_CODE_HOURS,
                        "created": True,
                    },
                )
            )
    return render(request, "accounts/admin/staff_create.html", {"form": form}, status=400 if form.errors else 200)


@staff_required(capability=Capability.MANAGE_STAFF)
@never_cache
@require_http_methods(["GET", "POST"])
def staff_detail(request, pk: int):
    member = selectors.staff_get_for_admin(pk=pk)
    profile = member.staff
    initial = {"role": profile.role, "position": profile.position, "nip": profile.nip, "desa_code": profile.desa_code}
    form = StaffForm(request.POST or None, initial=initial, kecamatan=request.tenant)
    if request.method == "POST" and form.is_valid():
        try:
            services.staff_update(actor=request.user, kecamatan=request.tenant, user=member, **form.cleaned_data)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("Data petugas disimpan."))
            return redirect("staff:staff-admin-detail", pk=member.pk)
    return _detail(request, member, form=form, status=400 if form.errors else 200)


def _detail(request, member, *, form=None, status=200):
    profile = member.staff
    if form is None:
        initial = {
            "role": profile.role,
            "position": profile.position,
            "nip": profile.nip,
            "desa_code": profile.desa_code,
        }
        form = StaffForm(initial=initial, kecamatan=request.tenant)
    context = {
        "member": member,
        "form": form,
        # the certificate itself is letters' page (staff-admin-certificate): accounts never imports letters
        "signer": holds_signing_certificate(member),
        "events": selectors.staff_events(user=member),
        "desa_name": selectors.desa_names(kecamatan=request.tenant).get(profile.desa_code, profile.desa_code),
    }
    return render(request, "accounts/admin/staff_detail.html", context, status=status)


@staff_required(capability=Capability.MANAGE_STAFF)
@require_POST
def staff_set_active(request, pk: int):
    member = selectors.staff_get_for_admin(pk=pk)
    active = request.POST.get("active") == "1"
    try:
        services.staff_set_active(actor=request.user, user=member, active=active)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("Akun diaktifkan kembali.") if active else _("Akun dinonaktifkan: petugas ini tidak dapat masuk lagi."),
        )
    return redirect("staff:staff-admin-detail", pk=member.pk)


@staff_required(capability=Capability.MANAGE_STAFF)
@sensitive_variables("code")
@never_cache
@require_POST
def staff_reset_two_factor(request, pk: int):
    member = selectors.staff_get_for_admin(pk=pk)
    code = services.staff_reset_two_factor(actor=request.user, user=member)
    return _no_store(
        render(
            request,
            "accounts/admin/enrolment_code.html",
            {"member": member, "enrolment_code": code, "enrolment_code_hours": settings.ENROLMENT_CODE_HOURS},
        )
    )


@staff_required(capability=Capability.MANAGE_STAFF)
@sensitive_variables("password")
@never_cache
@require_POST
def staff_reset_password(request, pk: int):
    member = selectors.staff_get_for_admin(pk=pk)
    password = services.staff_reset_password(actor=request.user, user=member)
    return _no_store(
        render(
            request,
            "accounts/admin/temporary_password.html",
            {"member": member, "password": password, "created": False},
        )
    )


@staff_required(capability=Capability.EDIT_OFFICE_PROFILE)
@never_cache
@require_http_methods(["GET", "POST"])
def office_profile(request):
    from tenants.services import PROFILE_FIELDS, kecamatan_update_profile

    kecamatan = request.tenant
    form = OfficeProfileForm(request.POST or None, initial={name: getattr(kecamatan, name) for name in PROFILE_FIELDS})
    if request.method == "POST" and form.is_valid():
        kecamatan_update_profile(
            kecamatan=kecamatan, actor=f"{request.user.get_username()}@{kecamatan.slug}", **form.cleaned_data
        )
        messages.success(
            request, _("Profil kantor disimpan. Laman kontak, kop surat dan laman layanan memakai data baru.")
        )
        return redirect("staff:office-profile")
    return render(request, "accounts/admin/office_profile.html", {"form": form}, status=400 if form.errors else 200)
