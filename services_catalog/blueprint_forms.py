"""Choosing two regency template versions to compare: shared by the back office and the ops console."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _l

from . import blueprints
from .models import RegencyTemplateVersion


class DiffForm(forms.Form):
    dari = forms.ModelChoiceField(queryset=RegencyTemplateVersion.objects.none(), label=_l("Versi lama"))
    ke = forms.ModelChoiceField(queryset=RegencyTemplateVersion.objects.none(), label=_l("Versi baru"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        versions = blueprints.template_versions()
        for name in ("dari", "ke"):
            self.fields[name].queryset = versions
            self.fields[name].label_from_instance = lambda v: (
                f"{v.template.name} v{v.number} ({v.published_at:%d-%m-%Y})"
            )


def diff_context(query) -> dict:
    """The version choice and, when two are chosen, their differences (shared with the ops console)."""
    form = DiffForm(query if {"dari", "ke"} <= set(query) else None)
    context = {"form": form, "diff": None}
    if form.is_bound and form.is_valid():
        older, newer = form.cleaned_data["dari"], form.cleaned_data["ke"]
        context.update(older=older, newer=newer, diff=blueprints.template_version_diff(older, newer))
    return context
