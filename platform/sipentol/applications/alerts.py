"""Staff alerts about applications: the one place the application tells staff (the citizen is
told through `services._notify`). Every alert leaves through `letters.alerts.staff_alert_emit`.

- New application (on submission): to its assigned staff member, else to every verifier
  (`accounts.alerts.BROADCAST`). Completed by the citizen (resubmitted): the same people.
- SLA warning: when the due date is 2 working days away or less (`sla.days_left`, working days
  of `lib/workdays.py`), to the same people, once per application and due date (the due date
  moves when the clock pauses; the new one is warned of again).
- SLA lapsed: once the application is overdue (`selectors.overdue_q`, i.e. `sla.overdue_q`), to
  the Sekcam (`Capability.BE_TOLD_OF_LAPSED_SLA`): one list per run holding the applications
  not listed to them before, so each application is named once.

The beat job runs on working days only: the office is closed on the others, and "two working
days before" is then told on the working day it means (across a holiday too).
Staff alerts carry the tracking code, the service and dates, never the citizen's NIK, KK or address.
"""

from __future__ import annotations

import datetime as dt
import hashlib

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from sipentol.accounts.alerts import alert_delivery, alert_sent_record, staff_to_alert
from sipentol.accounts.models import AlertType
from sipentol.accounts.permissions import Capability, can
from sipentol.letters.alerts import alert_date, staff_alert_emit, staff_link
from sipentol.lib import sla, workdays

from . import lifecycle
from .models import Application, notification_key_prefix
from .selectors import overdue_q

SLA_WARNING_WORKING_DAYS = 2


def _handlers(application: Application) -> list:
    """Who handles it: the assigned staff member, else every verifier (nobody took it yet)."""
    assignee = application.assigned_to
    if assignee is not None and assignee.is_active and can(assignee, Capability.BE_ASSIGNED):
        return [assignee]
    return list(staff_to_alert(AlertType.NEW_APPLICATION))


def _context(application: Application) -> dict:
    return {
        "tracking_code": application.tracking_code,
        "service_name": application.service.name,
        "due_date": alert_date(application.due_date) if application.due_date else "",
        "link": staff_link(reverse("staff:detail", args=[application.pk])),
    }


def _alert_handlers(application: Application, *, alert_type: str, dedupe: str, context: dict | None = None) -> int:
    told = 0
    for user in _handlers(application):
        told += staff_alert_emit(
            user=user,
            alert_type=alert_type,
            context={**_context(application), **(context or {})},
            # With the application's prefix: the purge of the application finds these rows too.
            dedupe_key=f"{notification_key_prefix(application)}staff:{alert_type}:{dedupe}:{user.pk}",
        )
    return told


def alert_submitted(application: Application) -> int:
    """Inside the submission's transaction: tell the handlers a new application waits."""
    return _alert_handlers(application, alert_type=AlertType.NEW_APPLICATION, dedupe="submitted")


def alert_completed(application: Application, *, round_: int) -> int:
    """Inside the completion's transaction: tell the handlers the citizen sent what was asked."""
    return _alert_handlers(application, alert_type=AlertType.COMPLETED, dedupe=str(round_))


def sla_alerts_send(*, today: dt.date | None = None) -> dict[str, int]:
    """Beat job, per kecamatan: SLA warnings and the Sekcam's list of lapsed applications.
    Idempotent: a second run the same day (or the next) tells no one twice."""
    today = today or timezone.localdate()
    if not workdays.is_working_day(today):
        return {"warned": 0, "escalated": 0}
    running = Application.objects.filter(status__in=lifecycle.CLOCK_RUNNING, due_date__isnull=False)
    running = running.select_related("service", "assigned_to__staff").order_by("due_date", "pk")

    warned = 0
    horizon = workdays.add_working_days(today, SLA_WARNING_WORKING_DAYS)
    for application in running.filter(due_date__gte=today, due_date__lte=horizon):
        left = sla.days_left(due=application.due_date, running=True, today=today)
        if left is None or left > SLA_WARNING_WORKING_DAYS:
            continue
        subject = f"application:{application.pk}:{application.due_date}"
        for user in _handlers(application):
            with transaction.atomic():
                if alert_delivery(user=user, alert_type=AlertType.SLA_WARNING) is None:
                    continue
                if not alert_sent_record(user=user, alert_type=AlertType.SLA_WARNING, subject=subject):
                    continue
                warned += staff_alert_emit(
                    user=user,
                    alert_type=AlertType.SLA_WARNING,
                    context={**_context(application), "days_left": left},
                    dedupe_key=(
                        f"{notification_key_prefix(application)}staff:sla_warning:{application.due_date}:{user.pk}"
                    ),
                )

    lapsed = list(running.filter(overdue_q(today)))
    escalated = 0
    for user in staff_to_alert(AlertType.SLA_LAPSED):
        with transaction.atomic():
            if alert_delivery(user=user, alert_type=AlertType.SLA_LAPSED) is None:
                continue
            new = [
                a
                for a in lapsed
                if alert_sent_record(user=user, alert_type=AlertType.SLA_LAPSED, subject=f"application:{a.pk}")
            ]
            if not new:
                continue
            ids = ",".join(str(a.pk) for a in new)
            staff_alert_emit(
                user=user,
                alert_type=AlertType.SLA_LAPSED,
                context={
                    "count": len(new),
                    "items": [
                        {
                            **_context(a),
                            "assignee": (a.assigned_to.get_full_name() or a.assigned_to.get_username())
                            if a.assigned_to
                            else "",
                        }
                        for a in new
                    ],
                },
                dedupe_key=f"staff:sla_lapsed:{user.pk}:{today}:{hashlib.sha256(ids.encode()).hexdigest()[:16]}",
            )
            escalated += len(new)
    return {"warned": warned, "escalated": escalated}
