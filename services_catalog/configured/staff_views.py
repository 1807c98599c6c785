"""Back-office pages where the admin kecamatan configures the kecamatan's services (`/kantor/layanan/`).

Who may look (`view_services`) and who may change (`configure_services`) is the permission
table's (sipentol.accounts.permissions); a page both may open takes a POST only from the latter.
Thin: the forms below only parse what the browser sent, every rule and every write lives in
`services` (each write leaves a ServiceChangeEvent, shown on the service's history page).
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from sipentol.accounts.decorators import staff_required
from sipentol.accounts.permissions import Capability, can
from sipentol.lib.errors import error_text

from . import selectors, services
from .models import FIELD_TYPES, KecamatanService, ServiceRequirement

FILE_TYPE_CHOICES = [("image/jpeg", "JPG"), ("image/png", "PNG"), ("application/pdf", "PDF")]
FIELD_TYPE_LABELS = {
    "text": _l("Teks singkat"),
    "textarea": _l("Teks panjang"),
    "date": _l("Tanggal"),
    "number": _l("Angka"),
    "nik": _l("NIK (16 angka)"),
    "kk": _l("Nomor KK (16 angka)"),
    "phone": _l("Nomor HP"),
    "email": _l("Alamat e-mail"),
    "desa": _l("Pilihan desa/kelurahan"),
    "choice": _l("Pilihan"),
}
assert set(FIELD_TYPE_LABELS) == set(FIELD_TYPES)


# ------------------------------------------------------------------ forms (parsing only)
def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


class ServiceForm(forms.Form):
    sla_working_days = forms.IntegerField(
        label=_l("Jangka waktu (hari kerja)"),
        help_text=_l("1 sampai 60 hari kerja, dihitung sejak berkas dinyatakan lengkap."),
        error_messages={"invalid": _l("Tulis jangka waktu sebagai angka hari kerja, contoh 3.")},
    )
    fee_rupiah = forms.CharField(
        label=_l("Biaya (Rp)"),
        help_text=_l("Tulis 0 untuk layanan gratis."),
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    summary = forms.CharField(label=_l("Ringkasan"), widget=forms.Textarea(attrs={"rows": 3}))
    procedure = forms.CharField(
        label=_l("Prosedur"),
        help_text=_l("Satu langkah per baris."),
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    product = forms.CharField(label=_l("Produk layanan"), widget=forms.Textarea(attrs={"rows": 2}))
    complaint_handling = forms.CharField(
        label=_l("Penanganan pengaduan"),
        help_text=_l("Satu saluran per baris."),
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    legal_basis = forms.CharField(
        label=_l("Dasar hukum"),
        help_text=_l("Satu peraturan per baris."),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    # Not on the portal: the start of every letter number of the service (the one source of it).
    letter_classification = forms.CharField(
        label=_l("Kode klasifikasi surat"),
        help_text=_l("Awal nomor setiap surat layanan ini: [klasifikasi]/[urut]/[kode unit]/[tahun]. Contoh 474.3."),
        widget=forms.TextInput(attrs={"maxlength": 20, "autocomplete": "off"}),
    )
    LETTER_FIELDS = ("letter_classification",)

    @classmethod
    def initial_for(cls, service: KecamatanService) -> dict:
        return {
            "sla_working_days": service.sla_working_days,
            "fee_rupiah": service.fee_rupiah,
            "summary": service.summary,
            "procedure": "\n".join(service.procedure),
            "product": service.product,
            "complaint_handling": service.complaint_handling,
            "legal_basis": service.legal_basis,
            "letter_classification": service.letter_classification,
        }

    def portal_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.fields if name not in self.LETTER_FIELDS]

    def letter_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.LETTER_FIELDS]

    def clean_fee_rupiah(self) -> int:
        raw = self.cleaned_data["fee_rupiah"].strip().lower().removeprefix("rp").strip()
        digits = raw.replace(".", "").replace(" ", "")
        try:
            return int(digits)
        except ValueError:
            raise ValidationError(
                _("Tulis biaya sebagai angka rupiah, contoh 10000. Isi 0 untuk layanan gratis.")
            ) from None

    def changes(self) -> dict:
        data = self.cleaned_data
        return {
            "sla_working_days": data["sla_working_days"],
            "fee_rupiah": data["fee_rupiah"],
            "summary": data["summary"].strip(),
            "procedure": _lines(data["procedure"]),
            "product": data["product"].strip(),
            "complaint_handling": "\n".join(_lines(data["complaint_handling"])),
            "legal_basis": "\n".join(_lines(data["legal_basis"])),
            "letter_classification": data["letter_classification"].strip(),
        }


class RequirementForm(forms.Form):
    name = forms.CharField(
        label=_l("Nama persyaratan"),
        max_length=200,
        error_messages={"required": _l("Nama persyaratan tidak boleh kosong.")},
    )
    explanation = forms.CharField(
        label=_l("Penjelasan untuk pemohon"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    required = forms.BooleanField(label=_l("Wajib diunggah"), required=False, initial=True)
    accepted_types = forms.MultipleChoiceField(
        label=_l("Jenis berkas yang diterima"),
        choices=FILE_TYPE_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        initial=[value for value, _label in FILE_TYPE_CHOICES],
    )
    max_image_mb = forms.IntegerField(
        label=_l("Ukuran maksimal foto (MB)"),
        initial=5,
        help_text=_l("1 sampai 5 MB."),
        error_messages={"invalid": _l("Tulis ukuran sebagai angka MB, contoh 5.")},
    )
    max_pdf_mb = forms.IntegerField(
        label=_l("Ukuran maksimal PDF (MB)"),
        initial=10,
        help_text=_l("1 sampai 10 MB."),
        error_messages={"invalid": _l("Tulis ukuran sebagai angka MB, contoh 10.")},
    )

    @classmethod
    def initial_for(cls, requirement: ServiceRequirement) -> dict:
        return {name: getattr(requirement, name) for name in cls.base_fields}

    def values(self) -> dict:
        data = self.cleaned_data
        return {**data, "name": data["name"].strip(), "explanation": data["explanation"].strip()}


class FormFieldForm(forms.Form):
    label = forms.CharField(
        label=_l("Label (pertanyaan yang dilihat pemohon)"),
        max_length=200,
        error_messages={"required": _l("Label isian tidak boleh kosong. Tulis pertanyaan yang dilihat pemohon.")},
    )
    type = forms.ChoiceField(label=_l("Jenis isian"), choices=list(FIELD_TYPE_LABELS.items()))
    required = forms.BooleanField(label=_l("Wajib diisi"), required=False, initial=True)
    help = forms.CharField(label=_l("Keterangan bantuan"), max_length=300, required=False)
    choices = forms.CharField(
        label=_l("Pilihan"),
        help_text=_l("Hanya untuk jenis Pilihan: satu pilihan per baris."),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    @classmethod
    def initial_for(cls, spec: dict) -> dict:
        return {
            "label": spec.get("label", spec["name"]),
            "type": spec.get("type", "text"),
            "required": spec.get("required", True),
            "help": spec.get("help", ""),
            "choices": "\n".join(spec.get("choices", [])),
        }

    def values(self) -> dict:
        return {**self.cleaned_data, "choices": _lines(self.cleaned_data["choices"])}


# ------------------------------------------------------------------ helpers
def _service(slug: str) -> KecamatanService:
    try:
        return selectors.service_get(slug=slug, enabled_only=False)
    except KecamatanService.DoesNotExist as exc:
        raise Http404 from exc


def _requirement(service: KecamatanService, pk: int) -> ServiceRequirement:
    requirement = service.requirements.filter(pk=pk).first()
    if requirement is None:
        raise Http404
    return requirement


def _field_spec(service: KecamatanService, name: str) -> dict:
    spec = next((f for f in service.form_fields if f["name"] == name), None)
    if spec is None:
        raise Http404
    return spec


def _actor(request) -> str:
    return request.user.get_username()


def _form_invalid(request) -> None:
    messages.error(request, _("Belum tersimpan. Perbaiki isian yang ditandai, lalu simpan lagi."))


def _requirement_code(service: KecamatanService, name: str) -> str:
    taken = set(service.requirements.values_list("code", flat=True))
    base = slugify(name)[:50] or "persyaratan"
    code, n = base, 2
    while code in taken:
        code, n = f"{base}-{n}", n + 1
    return code


def _fields_view(service: KecamatanService) -> list[dict]:
    return [
        {
            **spec,
            "type_label": FIELD_TYPE_LABELS.get(spec.get("type"), spec.get("type")),
            "standard": spec["name"] in services.STANDARD_FORM_FIELDS,
        }
        for spec in service.form_fields
    ]


def _render_service(request, service: KecamatanService, *, status: int = 200, **forms_) -> HttpResponse:
    context = {
        "service": service,
        "can_edit": can(request.user, Capability.CONFIGURE_SERVICES),
        "form": forms_.get("form") or ServiceForm(initial=ServiceForm.initial_for(service)),
        "requirement_form": forms_.get("requirement_form") or RequirementForm(prefix="req"),
        "field_form": forms_.get("field_form") or FormFieldForm(prefix="field"),
        "requirements": service.requirements.all(),
        "fields": _fields_view(service),
    }
    return render(request, "configured/staff/service.html", context, status=status)


# ------------------------------------------------------------------ pages
@staff_required(capability=Capability.VIEW_SERVICES)
@require_GET
def service_index(request):
    return render(
        request,
        "configured/staff/services.html",
        {"services": selectors.service_list_for_admin(), "can_edit": can(request.user, Capability.CONFIGURE_SERVICES)},
    )


@staff_required(capability=Capability.VIEW_SERVICES, write=Capability.CONFIGURE_SERVICES)
@never_cache
def service_detail(request, slug: str):
    service = _service(slug)
    if request.method != "POST":
        return _render_service(request, service)
    form = ServiceForm(request.POST)
    if not form.is_valid():
        _form_invalid(request)
        return _render_service(request, service, form=form, status=400)
    try:
        updated = services.kecamatan_service_update(service=service, actor=_actor(request), changes=form.changes())
    except ValidationError as exc:
        messages.error(request, error_text(exc))
        return _render_service(request, service, form=form, status=400)
    messages.success(request, _("Standar pelayanan disimpan dan langsung tampil di portal."))
    if updated.letter_classification != service.letter_classification:
        messages.info(
            request,
            _("Surat layanan ini yang ditandatangani mulai sekarang bernomor %(code)s/…")
            % {"code": updated.letter_classification},
        )
    return redirect("staff:service-detail", slug=slug)


@staff_required(capability=Capability.CONFIGURE_SERVICES)
@require_POST
def service_set_enabled(request, slug: str):
    service = _service(slug)
    enabled = request.POST.get("enabled") == "1"
    services.kecamatan_service_set_enabled(service=service, enabled=enabled, actor=_actor(request))
    if enabled:
        messages.success(request, _("Layanan diaktifkan: warga dapat melihat dan mengajukannya di portal."))
    else:
        messages.success(
            request,
            _("Layanan dinonaktifkan: tidak tampil lagi di portal. Permohonan yang sedang berjalan tetap diproses."),
        )
    return redirect("staff:service-detail", slug=slug)


@staff_required(capability=Capability.CONFIGURE_SERVICES)
@require_POST
def requirement_add(request, slug: str):
    service = _service(slug)
    form = RequirementForm(request.POST, prefix="req")
    if not form.is_valid():
        _form_invalid(request)
        return _render_service(request, service, requirement_form=form, status=400)
    values = form.values()
    try:
        services.service_requirement_add(
            service=service, actor=_actor(request), code=_requirement_code(service, values["name"]), **values
        )
    except ValidationError as exc:
        messages.error(request, error_text(exc))
        return _render_service(request, service, requirement_form=form, status=400)
    messages.success(request, _("Persyaratan “%(name)s” ditambahkan.") % {"name": values["name"]})
    return redirect("staff:service-detail", slug=slug)


@staff_required(capability=Capability.VIEW_SERVICES, write=Capability.CONFIGURE_SERVICES)
@never_cache
def requirement_edit(request, slug: str, pk: int):
    service = _service(slug)
    requirement = _requirement(service, pk)
    status = 200
    if request.method == "POST":
        form = RequirementForm(request.POST, prefix="req")
        if form.is_valid():
            try:
                services.service_requirement_update(
                    requirement=requirement, actor=_actor(request), changes=form.values()
                )
            except ValidationError as exc:
                messages.error(request, error_text(exc))
            else:
                messages.success(request, _("Persyaratan disimpan."))
                return redirect("staff:service-detail", slug=slug)
        else:
            _form_invalid(request)
        status = 400
    else:
        form = RequirementForm(initial=RequirementForm.initial_for(requirement), prefix="req")
    return render(
        request,
        "configured/staff/requirement.html",
        {
            "service": service,
            "requirement": requirement,
            "form": form,
            "can_edit": can(request.user, Capability.CONFIGURE_SERVICES),
        },
        status=status,
    )


@staff_required(capability=Capability.CONFIGURE_SERVICES)
@require_POST
def requirement_remove(request, slug: str, pk: int):
    service = _service(slug)
    requirement = service.requirements.filter(pk=pk).first()
    if requirement is not None:  # a repeated click finds it gone: nothing to do
        services.service_requirement_remove(requirement=requirement, actor=_actor(request))
        messages.success(request, _("Persyaratan “%(name)s” dihapus.") % {"name": requirement.name})
    return redirect("staff:service-detail", slug=slug)


@staff_required(capability=Capability.CONFIGURE_SERVICES)
@require_POST
def field_add(request, slug: str):
    service = _service(slug)
    form = FormFieldForm(request.POST, prefix="field")
    if not form.is_valid():
        _form_invalid(request)
        return _render_service(request, service, field_form=form, status=400)
    try:
        spec = services.service_form_field_add(service=service, actor=_actor(request), **form.values())
    except ValidationError as exc:
        messages.error(request, error_text(exc))
        return _render_service(request, service, field_form=form, status=400)
    messages.success(request, _("Isian “%(label)s” ditambahkan ke formulir.") % {"label": spec["label"]})
    return redirect("staff:service-detail", slug=slug)


@staff_required(capability=Capability.VIEW_SERVICES, write=Capability.CONFIGURE_SERVICES)
@never_cache
def field_edit(request, slug: str, name: str):
    service = _service(slug)
    spec = _field_spec(service, name)
    status = 200
    if request.method == "POST":
        form = FormFieldForm(request.POST, prefix="field")
        if form.is_valid():
            try:
                services.service_form_field_update(
                    service=service, actor=_actor(request), name=name, changes=form.values()
                )
            except ValidationError as exc:
                messages.error(request, error_text(exc))
            else:
                messages.success(request, _("Isian formulir disimpan."))
                return redirect("staff:service-detail", slug=slug)
        else:
            _form_invalid(request)
        status = 400
    else:
        form = FormFieldForm(initial=FormFieldForm.initial_for(spec), prefix="field")
    return render(
        request,
        "configured/staff/field.html",
        {
            "service": service,
            "spec": spec,
            "standard": name in services.STANDARD_FORM_FIELDS,
            "form": form,
            "can_edit": can(request.user, Capability.CONFIGURE_SERVICES),
        },
        status=status,
    )


@staff_required(capability=Capability.CONFIGURE_SERVICES)
@require_POST
def field_remove(request, slug: str, name: str):
    service = _service(slug)
    try:
        services.service_form_field_remove(service=service, actor=_actor(request), name=name)
    except ValidationError as exc:
        messages.error(request, error_text(exc))
        return _render_service(request, service, status=400)
    messages.success(request, _("Isian dihapus dari formulir."))
    return redirect("staff:service-detail", slug=slug)


# ------------------------------------------------------------------ history
ACTION_LABELS = {
    "init": _l("Disalin dari katalog kabupaten"),
    "template_apply": _l("Diambil dari templat kabupaten"),
    "catalog_update": _l("Diperbarui dari katalog kabupaten"),
    "update": _l("Standar pelayanan diubah"),
    "enable": _l("Diaktifkan"),
    "disable": _l("Dinonaktifkan"),
    "requirement_add": _l("Persyaratan ditambahkan"),
    "requirement_update": _l("Persyaratan diubah"),
    "requirement_remove": _l("Persyaratan dihapus"),
    "field_add": _l("Isian formulir ditambahkan"),
    "field_update": _l("Isian formulir diubah"),
    "field_remove": _l("Isian formulir dihapus"),
    # Written once, by letters' migration 0002, when a template's own code became the service's.
    "letter_template_reconcile": _l("Kode klasifikasi surat diambil dari templat surat"),
}
CHANGE_LABELS = {
    "name": _l("Nama"),
    "aliases": _l("Kata kunci lain"),
    "summary": _l("Ringkasan"),
    "sla_working_days": _l("Jangka waktu (hari kerja)"),
    "fee_rupiah": _l("Biaya (Rp)"),
    "procedure": _l("Prosedur"),
    "product": _l("Produk layanan"),
    "complaint_handling": _l("Penanganan pengaduan"),
    "legal_basis": _l("Dasar hukum"),
    "form_fields": _l("Isian formulir"),
    "letter_classification": _l("Kode klasifikasi surat"),
    "order": _l("Urutan"),
    "explanation": _l("Penjelasan"),
    "required": _l("Wajib"),
    "accepted_types": _l("Jenis berkas"),
    "max_image_mb": _l("Ukuran maksimal foto (MB)"),
    "max_pdf_mb": _l("Ukuran maksimal PDF (MB)"),
    "label": _l("Label"),
    "type": _l("Jenis isian"),
    "help": _l("Keterangan bantuan"),
    "choices": _l("Pilihan"),
}
_KINDS = dict(FILE_TYPE_CHOICES)


def _short(value) -> str:
    if isinstance(value, bool):
        return _("ya") if value else _("tidak")
    if isinstance(value, list):
        if value and all(isinstance(v, dict) for v in value):
            return _("%(n)s isian") % {"n": len(value)}
        value = "; ".join(_KINDS.get(v, str(v)) for v in value)
    text = " ".join(str(value).split())
    return text if len(text) <= 120 else text[:117] + "..."


def _describe(changes: dict) -> tuple[str, list[tuple[str, str, str]]]:
    """(what it is about, [(component, before, after)]) for one event."""
    label = changes.get("label")
    subject = label if isinstance(label, str) else changes.get("name") or changes.get("code") or ""
    if isinstance(subject, dict):  # a renamed requirement: the diff sits under "name"
        subject = subject.get("to", "")
    rows = [
        (str(CHANGE_LABELS.get(key, key)), _short(value["from"]), _short(value["to"]))
        for key, value in changes.items()
        if isinstance(value, dict) and set(value) == {"from", "to"}
    ]
    return str(subject), rows


@staff_required(capability=Capability.VIEW_SERVICES)
@require_GET
def service_history(request, slug: str):
    service = _service(slug)
    page = Paginator(selectors.service_history(service=service), 50).get_page(request.GET.get("page"))
    entries = [
        {"event": e, "action": ACTION_LABELS.get(e.action, e.action), "about": _describe(e.changes)}
        for e in page.object_list
    ]
    return render(request, "configured/staff/history.html", {"service": service, "entries": entries, "page": page})
