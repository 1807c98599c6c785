from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .models import AgeBand, Complaint, Education, Occupation, Sex, SkmFollowUp
from .services import split_contact
from .skm import UNSUR

NOT_GIVEN = ("", _("Tidak ingin mengisi"))


class SurveyForm(forms.Form):
    """Nine radio groups (1-4) with the regulation's wording, and an optional suggestion."""

    suggestion = forms.CharField(
        label=_("Saran dan masukan"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Jangan menuliskan NIK atau data pribadi lain."),
    )

    # The regulation's respondent profile: optional, published only as suppressed counts.
    sex = forms.ChoiceField(
        label=_("Jenis kelamin"), required=False, choices=[("", _("Tidak ingin mengisi"))] + Sex.choices
    )
    age_band = forms.ChoiceField(
        label=_("Umur"), required=False, choices=[("", _("Tidak ingin mengisi"))] + AgeBand.choices
    )
    education = forms.ChoiceField(
        label=_("Pendidikan terakhir"), required=False, choices=[("", _("Tidak ingin mengisi"))] + Education.choices
    )
    occupation = forms.ChoiceField(
        label=_("Pekerjaan"), required=False, choices=[("", _("Tidak ingin mengisi"))] + Occupation.choices
    )
    PROFILE = ("sex", "age_band", "education", "occupation")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for unsur in UNSUR:
            self.fields[unsur.field] = forms.TypedChoiceField(
                label=unsur.question,
                choices=[(i, label) for i, label in enumerate(unsur.choices, start=1)],
                coerce=int,
                widget=forms.RadioSelect,
                error_messages={"required": _("Pilih salah satu jawaban untuk pertanyaan ini.")},
            )

    def unsur_fields(self):
        return [(unsur, self[unsur.field]) for unsur in UNSUR]

    def answers(self) -> dict[str, int]:
        return {unsur.field: self.cleaned_data[unsur.field] for unsur in UNSUR}

    def profile_fields(self):
        return [self[name] for name in self.PROFILE]

    def profile(self) -> dict[str, str]:
        return {name: self.cleaned_data.get(name, "") for name in self.PROFILE}


class ComplaintForm(forms.Form):
    category = forms.ChoiceField(
        label=_("Kategori"),
        choices=Complaint.Category.choices,
        error_messages={"required": _("Pilih kategori pengaduan.")},
    )
    text = forms.CharField(
        label=_("Isi pengaduan"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Ceritakan apa yang terjadi, kapan, dan di layanan apa. Jangan menuliskan NIK."),
        error_messages={"required": _("Isi pengaduan masih kosong. Tuliskan apa yang terjadi.")},
    )
    identity = forms.ChoiceField(
        label=_("Identitas Anda"),
        choices=Complaint.Identity.choices,
        initial=Complaint.Identity.OPEN,
        required=False,  # not chosen: open, as before the choice existed
        widget=forms.RadioSelect,
        help_text=_(
            "Rahasia: petugas tidak melihat nama dan kontak Anda; tanggapan tetap dikirim ke kontak Anda. "
            "Anonim: nama dan kontak tidak disimpan; pantau tanggapan lewat halaman lacak pengaduan. "
            "Kode lacak permohonan yang Anda isi memperlihatkan permohonan itu, dengan nama pemohonnya, kepada petugas."
        ),
        error_messages={"required": _("Pilih cara identitas Anda disimpan.")},
    )
    name = forms.CharField(label=_("Nama"), required=False, max_length=150)
    contact = forms.CharField(
        label=_("Nomor HP atau e-mail"),
        required=False,
        max_length=120,
        help_text=_("Isi bila ingin menerima tanggapan lewat WhatsApp atau e-mail."),
    )
    tracking_code = forms.CharField(
        label=_("Kode lacak permohonan"),
        required=False,
        max_length=20,
        help_text=_("Bila pengaduan menyangkut permohonan tertentu, contoh: JTS-2611-7K3Q."),
    )

    def clean_text(self) -> str:
        text = self.cleaned_data["text"].strip()
        if not text:
            raise ValidationError(_("Isi pengaduan masih kosong. Tuliskan apa yang terjadi."))
        return text

    def clean_identity(self) -> str:
        return self.cleaned_data["identity"] or Complaint.Identity.OPEN

    def clean_contact(self) -> str:
        value = self.cleaned_data["contact"].strip()
        split_contact(value)  # raises with a message the complainant can act on
        return value


class ComplaintResponseForm(forms.Form):
    response = forms.CharField(
        label=_("Tanggapan untuk pengadu"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Tanggapan masih kosong. Tulis jawaban untuk pengadu.")},
    )
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[
            (Complaint.Status.VERIFIED, Complaint.Status.VERIFIED.label),
            (Complaint.Status.IN_PROGRESS, Complaint.Status.IN_PROGRESS.label),
            (Complaint.Status.DONE, Complaint.Status.DONE.label),
        ],
    )


class ComplaintLookupForm(forms.Form):
    reference = forms.CharField(
        label=_("Nomor pengaduan"),
        max_length=12,
        help_text=_("Contoh: ADU-7K3Q9M."),
        error_messages={"required": _("Isi nomor pengaduan.")},
    )
    code = forms.CharField(
        label=_("Kode rahasia"),
        max_length=20,
        help_text=_("Kode yang tampil saat pengaduan dikirim."),
        error_messages={"required": _("Isi kode rahasia pengaduan.")},
    )


class FollowUpForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=SkmFollowUp.Status.choices)
    note = forms.CharField(
        label=_("Catatan tindak lanjut"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Catatan masih kosong. Tulis apa yang sudah atau akan dilakukan.")},
    )
