from django import forms
from django.utils.translation import gettext_lazy as _

from .models import PrivacyRequest


class TrackingCodeForm(forms.Form):
    kode = forms.CharField(label=_("Kode lacak"), max_length=20, help_text=_("Contoh: JTS-2611-7K3Q"))


class CodeForm(forms.Form):
    code = forms.RegexField(
        label=_("Kode sekali pakai (6 angka)"),
        regex=r"^\s*\d{6}\s*$",
        error_messages={"invalid": _("Kode terdiri dari 6 angka.")},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )


class PrivacyRequestForm(forms.Form):
    kind = forms.ChoiceField(label=_("Jenis permintaan"), choices=PrivacyRequest.Kind.choices, widget=forms.RadioSelect)
    details = forms.CharField(
        label=_("Data mana, dan bagaimana seharusnya"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Contoh: nama saya tertulis Siti Aminah, seharusnya Siti Aminah Rahayu. Jangan tulis NIK lengkap."),
    )


class StaffRequestForm(forms.Form):
    status = forms.ChoiceField(label=_("Status baru"), choices=PrivacyRequest.Status.choices)
    response = forms.CharField(
        label=_("Tanggapan / alasan"), max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
