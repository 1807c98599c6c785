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
from .forms import ComplaintForm, ComplaintLookupForm, SurveyForm
from .models import SurveyResponse

# Complaints accepted per browser session and per client address within the window.
COMPLAINTS_PER_SESSION = 3
COMPLAINTS_PER_ADDRESS = 20
COMPLAINT_WINDOW_SECONDS = 3600
# Lookups (reference + secret code) tried per session and per address within the window: with a
# 10-character code, guessing is hopeless at this rate, and a typo-prone citizen still has room.
LOOKUPS_PER_SESSION = 10
LOOKUPS_PER_ADDRESS = 30


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
                application=application,
                answers=form.answers(),
                suggestion=form.cleaned_data["suggestion"],
                profile=form.profile(),
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


def _over_limit(request, kind: str = "complaint", limits=(COMPLAINTS_PER_SESSION, COMPLAINTS_PER_ADDRESS)) -> bool:
    """Count this attempt against the session and the address; True when either is over its limit."""
    if not request.session.session_key:
        request.session.save()
    over = False
    for key, limit in (
        (f"{kind}-rate:s:{request.session.session_key}", limits[0]),
        (f"{kind}-rate:a:{_client_address(request)}", limits[1]),
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
        request.session["complaint_sent"] = {
            "reference": created.reference,
            "code": created.lookup_code,
            "anonymous": created.identity == created.Identity.ANONYMOUS,
            "has_contact": created.has_contact,
        }
        return redirect("feedback:complaint-sent")
    return render(request, "feedback/complaint.html", {"form": form})


@require_GET
def complaint_sent(request):
    """The reference and the secret lookup code, shown once (only the code's hash is stored)."""
    sent = request.session.get("complaint_sent")
    if not sent:
        return redirect("feedback:complaint")
    return render(request, "feedback/complaint_sent.html", sent)


@require_http_methods(["GET", "POST"])
def complaint_lookup(request):
    """The complainant's own view of their complaint: reference AND secret code (a POST, so neither
    lands in logs or history), rate-limited; a wrong pair says only that nothing matched. Shows
    status, the stage's deadline and the answers, never a name or contact."""
    form = ComplaintLookupForm(request.POST or None)
    if request.method == "POST":
        if not form.is_valid():
            return render(request, "feedback/complaint_lookup.html", {"form": form}, status=400)
        if _over_limit(request, "complaint-lookup", (LOOKUPS_PER_SESSION, LOOKUPS_PER_ADDRESS)):
            form.add_error(None, _("Terlalu banyak percobaan dalam satu jam. Coba lagi nanti."))
            return render(request, "feedback/complaint_lookup.html", {"form": form}, status=429)
        found = selectors.complaint_by_lookup(**form.cleaned_data)
        if found is None:
            form.add_error(None, _("Nomor pengaduan dan kode rahasia tidak cocok. Periksa kembali keduanya."))
            return render(request, "feedback/complaint_lookup.html", {"form": form}, status=404)
        return render(
            request,
            "feedback/complaint_status.html",
            {
                "complaint": found,
                "clock": selectors.complaint_clock_of(found),
                "events": selectors.complaint_answers(found),
            },
        )
    return render(request, "feedback/complaint_lookup.html", {"form": form})
