"""Back office: the SKM index and complaint handling. Thin: writes are services."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from services_catalog.configured.models import KecamatanService
from sipentol.accounts.decorators import staff_required
from sipentol.accounts.permissions import Capability, can

from . import selectors, services
from .forms import ComplaintResponseForm, FollowUpForm
from .models import Complaint, SkmFollowUp
from .report import render_skm_report_pdf


def _day(value: str) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _period(request):
    """The page's period and service from the query string (the last 365 days, all services)."""
    today = timezone.localdate()
    since_day = _day(request.GET.get("dari", "")) or today - timedelta(days=364)
    until_day = _day(request.GET.get("sampai", "")) or today
    if until_day < since_day:
        since_day, until_day = until_day, since_day
    services_qs = KecamatanService.objects.order_by("name")
    service = (
        services_qs.filter(pk=request.GET.get("layanan")).first() if request.GET.get("layanan", "").isdigit() else None
    )
    window = {"since": _start_of(since_day), "until": _start_of(until_day + timedelta(days=1)), "service": service}
    return since_day, until_day, services_qs, service, window


@staff_required(capability=Capability.VIEW_FEEDBACK)
@require_GET
def skm_report_pdf(request):
    """The printable SKM report of the chosen period and service (A4 PDF)."""
    since_day, until_day, _services, service, window = _period(request)
    pdf = render_skm_report_pdf(kecamatan=request.tenant, since_day=since_day, until_day=until_day, **window)
    response = HttpResponse(pdf, content_type="application/pdf")
    name = f"laporan-skm-{since_day.isoformat()}-{until_day.isoformat()}.pdf"
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response


@staff_required(capability=Capability.VIEW_FEEDBACK)
@require_GET
def skm_summary(request):
    since_day, until_day, services_qs, service, window = _period(request)
    return render(
        request,
        "feedback/staff/skm.html",
        {
            "summary": selectors.skm_sample(**window),
            "suggestions": selectors.skm_latest_suggestions(**window),
            "profile": selectors.skm_profile(**window),
            "since_day": since_day,
            "until_day": until_day,
            "services": services_qs,
            "service": service,
        },
    )


@staff_required(capability=Capability.VIEW_FEEDBACK)
@require_GET
def complaint_list(request):
    status = request.GET.get("status", "")
    if status not in Complaint.Status.values:
        status = ""
    page = Paginator(selectors.complaint_list(status=status), 30).get_page(request.GET.get("page"))
    today = timezone.localdate()
    for complaint in page:
        complaint.clock = selectors.complaint_clock_of(complaint, today=today)
    return render(
        request,
        "feedback/staff/complaints.html",
        {
            "page": page,
            "status": status,
            "statuses": Complaint.Status.choices,
            "form": ComplaintResponseForm(),
            "can_respond": can(request.user, Capability.RESPOND_COMPLAINTS),
        },
    )


@staff_required(capability=Capability.RESPOND_COMPLAINTS)
@require_POST
def complaint_respond(request, pk: int):
    try:
        complaint = selectors.complaint_get(pk)
    except Complaint.DoesNotExist as exc:
        raise Http404 from exc
    form = ComplaintResponseForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("staff:complaint-list")
    try:
        services.complaint_respond(complaint=complaint, actor=request.user, **form.cleaned_data)
    except ValidationError as exc:
        for error in exc.messages:
            messages.error(request, error)
    else:
        if complaint.has_contact:
            messages.success(
                request, _("Tanggapan tersimpan dan dikirim ke pengadu (%(ref)s).") % {"ref": complaint.reference}
            )
        else:
            messages.success(
                request,
                _("Tanggapan tersimpan (%(ref)s). Pengadu tidak meninggalkan kontak.") % {"ref": complaint.reference},
            )
    return redirect("staff:complaint-list")


@staff_required(capability=Capability.VIEW_FEEDBACK)
@require_GET
def follow_up_list(request):
    """SKM responses with an answer of 1 or 2, to be worked: open first, then in progress, done."""
    status = request.GET.get("status", "")
    if status not in SkmFollowUp.Status.values:
        status = ""
    page = Paginator(selectors.follow_ups(status=status), 30).get_page(request.GET.get("page"))
    return render(
        request,
        "feedback/staff/follow_ups.html",
        {
            "page": page,
            "status": status,
            "statuses": SkmFollowUp.Status.choices,
            "can_work": can(request.user, Capability.RESPOND_COMPLAINTS),
        },
    )


@staff_required(capability=Capability.RESPOND_COMPLAINTS)
@require_POST
def follow_up_update(request, pk: int):
    try:
        follow_up = selectors.follow_up_get(pk)
    except SkmFollowUp.DoesNotExist as exc:
        raise Http404 from exc
    form = FollowUpForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("staff:skm-follow-ups")
    try:
        services.skm_follow_up_update(follow_up=follow_up, actor=request.user, **form.cleaned_data)
    except ValidationError as exc:
        for error in exc.messages:
            messages.error(request, error)
    else:
        messages.success(request, _("Tindak lanjut SKM tersimpan."))
    return redirect("staff:skm-follow-ups")
