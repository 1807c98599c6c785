"""Back-office pages of regency templates (`/kantor/templat-kabupaten/`), assembled by sipentol.backoffice.

Camat and admin see the kecamatan's configuration and the published versions; the admin of a
model kecamatan publishes (`publish_template`). Thin: every rule lives in `blueprints`.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.http import require_GET

from sipentol.accounts.decorators import staff_required
from sipentol.accounts.permissions import Capability, can
from sipentol.lib.errors import error_text

from . import blueprints
from .blueprint_forms import diff_context
from .models import RegencyTemplate


class PublishForm(forms.Form):
    name = forms.CharField(label=_l("Nama templat"), max_length=100)
    note = forms.CharField(
        label=_l("Catatan versi"),
        help_text=_l("Apa yang berubah, untuk kecamatan yang akan memakainya."),
        max_length=300,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


@staff_required(capability=Capability.VIEW_SERVICES, write=Capability.PUBLISH_TEMPLATE)
def template_page(request):
    kecamatan = request.tenant
    own = RegencyTemplate.objects.filter(source=kecamatan).order_by("-created_at").first()
    form = PublishForm(request.POST or None, initial={"name": own.name if own else f"Templat {kecamatan.name}"})
    if request.method == "POST" and form.is_valid():
        try:
            version = blueprints.template_publish(
                kecamatan=kecamatan,
                name=form.cleaned_data["name"],
                note=form.cleaned_data["note"],
                actor=request.user.get_username(),
            )
        except ValidationError as exc:
            form.add_error(None, error_text(exc))
        else:
            messages.success(
                request,
                _("Templat “%(name)s” versi %(number)s diterbitkan.")
                % {"name": version.template.name, "number": version.number},
            )
            return redirect("staff:regency-template")
    current = blueprints.configuration_current(kecamatan=kecamatan)
    return render(
        request,
        "blueprints/staff_template.html",
        {
            "form": form,
            "summary": blueprints.configuration_summary(current),
            "may_publish": blueprints.may_publish(kecamatan),
            "can_publish": can(request.user, Capability.PUBLISH_TEMPLATE),
            "versions": blueprints.template_versions_listed(source=kecamatan),
            "applied": blueprints.template_application_last(kecamatan=kecamatan),
        },
    )


@staff_required(capability=Capability.VIEW_SERVICES)
@require_GET
def template_diff(request):
    return render(request, "blueprints/staff_diff.html", diff_context(request.GET))
