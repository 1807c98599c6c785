"""Reads on applications, each through a helper that applies the reader's rights."""

from __future__ import annotations

from django.db.models import Case, Count, IntegerField, Q, QuerySet, Value, When
from django.http import Http404
from django.utils import timezone

from sipentol.accounts.permissions import Capability, can
from sipentol.lib import sla

from . import lifecycle
from .models import Application, Event, Status

SESSION_KEY = "granted_applications"


# ------------------------------------------------------------------ citizen
GRANTS_KEPT = 20


def citizen_grant(request, application: Application) -> None:
    """The session may see this application's details (secret link or one-time code used)."""
    public_id = str(application.public_id)
    granted = [g for g in request.session.get(SESSION_KEY, []) if g != public_id]
    # the most recent GRANTS_KEPT, the newest last: a session never forgets what it just received
    request.session[SESSION_KEY] = [*granted, public_id][-GRANTS_KEPT:]


def citizen_has_access(request, application: Application) -> bool:
    return str(application.public_id) in request.session.get(SESSION_KEY, [])


def citizen_holds_secret_link(request, application: Application) -> bool:
    """This session came through the application's secret link (views keep its token in the session)."""
    return application.check_secret(request.session.get(f"secret:{application.public_id}", ""))


def application_get_for_citizen(request, public_id) -> Application:
    """The application, if this browser session was granted it; else 404 (never 403: no oracle)."""
    application = Application.objects.select_related("service").filter(public_id=public_id).first()
    if application is None or not citizen_has_access(request, application):
        raise Http404
    return application


def application_by_tracking_code(code: str) -> Application | None:
    return (
        Application.objects.select_related("service")
        .exclude(status=Status.DRAFT)
        .filter(tracking_code=code.strip().upper())
        .first()
    )


def citizen_timeline(application: Application) -> QuerySet[Event]:
    return application.events.filter(internal=False, kind=Event.Kind.TRANSITION)


# ------------------------------------------------------------------ staff
def staff_applications(user) -> QuerySet[Application]:
    """Every application this staff member may see: all of the kecamatan's (`see_all_applications`),
    or else their own assisted ones and those of their desa (an operator desa)."""
    qs = Application.objects.select_related("service", "assigned_to")
    if not can(user, Capability.VIEW_APPLICATIONS):
        return qs.none()
    if can(user, Capability.SEE_ALL_APPLICATIONS):
        return qs
    desa = user.staff.desa_code
    return qs.filter(Q(assisted_by=user) | (Q(desa_code=desa) if desa else Q(pk__in=[])))


def application_get_for_staff(user, pk: int) -> Application:
    application = staff_applications(user).filter(pk=pk).first()
    if application is None:
        raise Http404
    return application


def overdue_q(today) -> Q:
    """Overdue applications as a filter: the SLA rule of lib/sla.py on the lifecycle's running statuses."""
    return sla.overdue_q(today=today, running=Q(status__in=lifecycle.CLOCK_RUNNING))


def staff_queue(user, *, status: str = "", query: str = "", mine: bool = False) -> QuerySet[Application]:
    """The work queue: open applications first, overdue first, then by due date."""
    today = timezone.localdate()
    qs = staff_applications(user).exclude(status=Status.DRAFT)
    qs = qs.filter(status=status) if status else qs.filter(status__in=lifecycle.OPEN)
    if mine:
        qs = qs.filter(assigned_to=user)
    if query := query.strip():
        digits = "".join(c for c in query if c.isdigit())
        cond = Q(tracking_code__iexact=query) | Q(applicant_name__icontains=query)
        if len(digits) == 16:
            cond |= Q(applicant_nik=digits)
        qs = qs.filter(cond)
    return qs.annotate(
        overdue=Case(
            When(overdue_q(today), then=Value(0)),
            default=Value(1),
            output_field=IntegerField(),
        )
    ).order_by("overdue", "due_date", "submitted_at")


def workload_by_staff(*, today) -> list[dict]:
    """Open applications per assigned staff member (unassigned last), with how many of them are
    overdue by the one SLA rule: the Camat's board (1 query)."""
    rows = (
        Application.objects.filter(status__in=lifecycle.OPEN, is_trial=False)
        .exclude(submitted_at=None)
        .values("assigned_to__username", "assigned_to__first_name", "assigned_to__last_name")
        .annotate(open=Count("pk"), overdue=Count("pk", filter=overdue_q(today)))
        .order_by("-overdue", "-open", "assigned_to__username")
    )
    return list(rows)
