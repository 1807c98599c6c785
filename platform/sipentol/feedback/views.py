"""Citizen pages: the SKM survey after an issued letter, the public IKM, the complaint form.

Work without JavaScript on a phone.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from sipentol.applications import selectors as application_selectors
from sipentol.applications.models import Status

from . import selectors, services
from .forms import ComplaintForm, SurveyForm
from .models import SurveyResponse

# Complaints accepted per browser session and per client address within the window.
COMPLAINTS_PER_SESSION = 3
COMPLAINTS_PER_ADDRESS = 20
COMPLAINT_WINDOW_SECONDS = 3600


@require_http_methods(["GET", "POST"])
def survey(request, public_id):
    """SKM for the citizen holding this application (secret link or one-time code); else 404."""
    application = application_selectors.application_get_for_citizen(request, public_id)
    done = SurveyResponse.objects.filter(application=application).exists() or application.status == Status.RATED
    if done or application.status != Status.ISSUED:
        return render(request, "feedback/survey_closed.html", {"application": application, "done": done})
    form = SurveyForm(request.POST or None)
    if request.method == "POST":
        if not form.is_valid():
            return render(request, "feedback/survey.html", {"application": application, "form": form}, status=400)
        try:
            services.skm_submit(
                application=application, answers=form.answers(), suggestion=form.cleaned_data["suggestion"]
            )
        except services.SurveyNotOpen as exc:
            messages.info(request, str(exc))
        else:
            messages.success(request, _("Terima kasih, penilaian Anda sudah kami terima."))
        return redirect("applications:receipt", public_id=application.public_id)
    return render(request, "feedback/survey.html", {"application": application, "form": form})


@require_GET
def results(request):
    """The kecamatan's IKM and mutu over the last 12 months, as public services publish them."""
    since, until, summary = selectors.skm_last_twelve_months()
    return render(request, "feedback/results.html", {"summary": summary, "since": since, "until": until})


def _client_address(request) -> str:
    # Behind the ingress, gunicorn's --forwarded-allow-ips makes REMOTE_ADDR the client's address.
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def _over_limit(request) -> bool:
    """Count this attempt against the session and the address; True when either is over its limit."""
    if not request.session.session_key:
        request.session.save()
    over = False
    for key, limit in (
        (f"complaint-rate:s:{request.session.session_key}", COMPLAINTS_PER_SESSION),
        (f"complaint-rate:a:{_client_address(request)}", COMPLAINTS_PER_ADDRESS),
    ):
        cache.add(key, 0, COMPLAINT_WINDOW_SECONDS)
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, COMPLAINT_WINDOW_SECONDS)
            count = 1
        over = over or count > limit
    return over


@require_http_methods(["GET", "POST"])
def complaint(request):
    form = ComplaintForm(request.POST or None)
    if request.method == "POST":
        if not form.is_valid():
            return render(request, "feedback/complaint.html", {"form": form}, status=400)
        if _over_limit(request):
            form.add_error(
                None,
                _(
                    "Terlalu banyak pengaduan dari perangkat ini dalam satu jam. "
                    "Coba lagi nanti atau datang ke kantor kecamatan."
                ),
            )
            return render(request, "feedback/complaint.html", {"form": form}, status=429)
        try:
            created = services.complaint_create(**form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
            return render(request, "feedback/complaint.html", {"form": form}, status=400)
        request.session["complaint_reference"] = created.reference
        return redirect("feedback:complaint-sent")
    return render(request, "feedback/complaint.html", {"form": form})


@require_GET
def complaint_sent(request):
    reference = request.session.get("complaint_reference")
    if not reference:
        return redirect("feedback:complaint")
    return render(request, "feedback/complaint_sent.html", {"reference": reference})
