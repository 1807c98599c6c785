"""The application form, built from the service's declared fields, validated on the server."""

from __future__ import annotations

from datetime import date

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from sipentol.lib.nik import validate_kk, validate_nik
from sipentol.lib.phone import normalize_phone
from tenants.models import Desa

from . import handoffs

# Form fields that describe the applicant; they go to Application columns, the rest to `data`.
APPLICANT_COLUMNS = {
    "nama": "applicant_name",
    "nik": "applicant_nik",
    "telepon": "applicant_phone",
    "email": "applicant_email",
    "desa": "desa_code",
}


class NikField(forms.CharField):
    def clean(self, value):
        value = super().clean(value)
        return validate_nik(value).nik if value else value


class KkField(forms.CharField):
    def clean(self, value):
        value = super().clean(value)
        return validate_kk(value) if value else value


class PhoneField(forms.CharField):
    def clean(self, value):
        value = super().clean(value)
        return normalize_phone(value) if value else value


def _desa_choices(kecamatan) -> list[tuple[str, str]]:
    rows = Desa.objects.filter(kecamatan_id=kecamatan.pk).order_by("name")
    return [("", _("- pilih desa/kelurahan -"))] + [(d.code, str(d)) for d in rows]


def _field_for(spec: dict, kecamatan, *, draft: bool) -> forms.Field:
    kind = spec.get("type", "text")
    common = {
        "label": spec.get("label", spec["name"]),
        "required": bool(spec.get("required", True)) and not draft,
        "help_text": spec.get("help", ""),
    }
    if kind == "textarea":
        return forms.CharField(max_length=4000, widget=forms.Textarea(attrs={"rows": 4}), **common)
    if kind == "date":
        return forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), **common)
    if kind == "number":
        return forms.IntegerField(min_value=0, **common)
    if kind == "nik":
        return NikField(
            max_length=24, widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}), **common
        )
    if kind == "kk":
        return KkField(
            max_length=24, widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}), **common
        )
    if kind == "phone":
        return PhoneField(
            max_length=24, widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}), **common
        )
    if kind == "email":
        return forms.EmailField(**common)
    if kind == "desa":
        return forms.ChoiceField(choices=_desa_choices(kecamatan), **common)
    if kind == "choice":
        choices = [("", _("- pilih -"))] + [(c, c) for c in spec.get("choices", [])]
        return forms.ChoiceField(choices=choices, **common)
    return forms.CharField(max_length=300, **common)


class ApplicationForm(forms.Form):
    """Fields come from `service.form_fields`; one file input per requirement."""

    idempotency_key = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, *args, service, kecamatan, draft: bool = False, has_files: set[str] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.service = service
        self.specs = list(service.form_fields)
        self.has_files = has_files or set()
        for spec in self.specs:
            self.fields[spec["name"]] = _field_for(spec, kecamatan, draft=draft)
        self.requirements = list(service.requirements.all())
        # "Minta pengantar desa secara online" instead of a photo of the paper letter (sipentol.desa).
        self.offers_online_pengantar = handoffs.service_takes_online_pengantar(service)
        online = False
        if self.offers_online_pengantar:
            self.fields["pengantar_online"] = forms.BooleanField(
                label=_l("Minta pengantar desa secara online"),
                help_text=_l(
                    "Permintaan dikirim ke operator desa/kelurahan Anda; Kepala Desa/Lurah menandatanganinya secara "
                    "elektronik. Tidak perlu datang ke kantor desa atau mengunggah foto surat pengantar."
                ),
                required=False,
            )
            online = self.is_bound and self.fields["pengantar_online"].widget.value_from_datadict(
                self.data, self.files, self.add_prefix("pengantar_online")
            )
        for req in self.requirements:
            accept = ",".join(req.accepted_types)
            self.fields[f"doc_{req.code}"] = forms.FileField(
                label=req.name,
                help_text=req.explanation,
                required=req.required
                and not draft
                and req.code not in self.has_files
                and not (online and req.code == handoffs.PENGANTAR_REQUIREMENT),
                widget=forms.ClearableFileInput(attrs={"accept": accept}),
            )

    def clean(self):
        cleaned = super().clean()
        birth = cleaned.get("tanggal_lahir")
        nik = cleaned.get("nik")
        if isinstance(birth, date):
            if birth > timezone.localdate():
                self.add_error("tanggal_lahir", _("Tanggal lahir tidak boleh di masa depan."))
            elif nik:
                try:
                    validate_nik(nik, birth_date=birth)
                except ValidationError as exc:
                    self.add_error("nik", exc)
        return cleaned

    def split(self) -> tuple[dict, dict]:
        """(applicant columns, other data) from cleaned data, JSON-ready."""
        applicant, data = {}, {}
        for spec in self.specs:
            value = self.cleaned_data.get(spec["name"])
            if value in (None, ""):
                continue
            if isinstance(value, date):
                value = value.isoformat()
            column = APPLICANT_COLUMNS.get(spec["name"])
            if column:
                applicant[column] = value
            else:
                data[spec["name"]] = value
        return applicant, data

    @property
    def online_pengantar_chosen(self) -> bool:
        return bool(self.offers_online_pengantar and self.cleaned_data.get("pengantar_online"))

    def file_fields(self):
        return [self[f"doc_{r.code}"] for r in self.requirements]

    def data_fields(self):
        return [self[s["name"]] for s in self.specs]


class CompletionForm(forms.Form):
    """Only the files staff asked to redo."""

    def __init__(self, *args, documents, **kwargs):
        super().__init__(*args, **kwargs)
        self.documents = documents
        for doc in documents:
            self.fields[f"doc_{doc.requirement_code}"] = forms.FileField(label=doc.requirement_name, required=True)


class TrackForm(forms.Form):
    kode = forms.CharField(
        label=_l("Kode lacak"),
        max_length=20,
        widget=forms.TextInput(attrs={"autocapitalize": "characters", "placeholder": "JTS-2611-7K3Q"}),
    )

    def clean_kode(self):
        return self.cleaned_data["kode"].strip().upper()


class AccessCodeForm(forms.Form):
    code = forms.CharField(
        label=_l("Kode sekali pakai (6 angka)"),
        max_length=6,
        min_length=6,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )
