"""The desa's deadline in working days, and its escalation: first the desa, one working day later
the kecamatan, each once; the Christmas holidays do not count."""

from __future__ import annotations

from datetime import date

from django.contrib.auth import get_user_model
from django.db import connection
from django_tenants.utils import tenant_context

from sipentol.accounts.models import Role
from sipentol.desa import deadlines, services
from sipentol.desa.models import PengantarRequest
from sipentol.notifications.models import OutboxMessage
from tests.accounts.staff import make_staff

from .conftest import DESA, ask_desa_online


def test_the_deadline_skips_the_christmas_holidays_and_the_weekend():
    # Wednesday 23 December 2026, one working day: 24 and 25 are holidays, 26-27 a weekend
    assert deadlines.due_date(requested_on=date(2026, 12, 23), working_days=1) == date(2026, 12, 28)


def test_it_escalates_to_the_desa_then_to_the_kecamatan_across_a_holiday_once_each(jetis, jetis_client, domisili):
    # given a request asked on 23 December, due on Monday 28 after the holidays, and staff with e-mail
    application, _url = ask_desa_online(jetis_client, jetis, domisili)
    for username, role, desa in [("op-telat", Role.DESA_OPERATOR, DESA), ("verif-telat", Role.VERIFIER, "")]:
        user = make_staff(jetis, username, role, desa)
        with tenant_context(jetis):
            get_user_model().objects.filter(pk=user.pk).update(email=f"{username}@jetis.go.id")
    with tenant_context(jetis):
        due = deadlines.due_date(requested_on=date(2026, 12, 23), working_days=1)
        PengantarRequest.objects.filter(application_id=application.pk).update(due_date=due)

        # when the beat job runs on the Saturday, the Tuesday after, the Wednesday, and again
        saturday = services.pengantar_deadlines_escalate(today=date(2026, 12, 26))
        tuesday = services.pengantar_deadlines_escalate(today=date(2026, 12, 29))
        wednesday = services.pengantar_deadlines_escalate(today=date(2026, 12, 30))
        again = services.pengantar_deadlines_escalate(today=date(2026, 12, 31))

        # then nothing before the due date, the desa on the first day past it, the kecamatan a working day later
        assert saturday == {"operator": 0, "kecamatan": 0}
        assert tuesday == {"operator": 1, "kecamatan": 0}
        assert wednesday == {"operator": 0, "kecamatan": 1}
        assert again == {"operator": 0, "kecamatan": 0}
        sent = set(
            OutboxMessage.objects.filter(template__startswith="pengantar_overdue").values_list("template", "recipient")
        )
    connection.set_schema_to_public()
    assert sent == {
        ("pengantar_overdue_operator", "op-telat@jetis.go.id"),
        ("pengantar_overdue_kecamatan", "verif-telat@jetis.go.id"),
    }


def test_the_citizen_sees_the_desas_deadline(jetis, jetis_client, domisili):
    application, receipt_url = ask_desa_online(jetis_client, jetis, domisili)
    with tenant_context(jetis):
        due = PengantarRequest.objects.get(application_id=application.pk).due_date
    connection.set_schema_to_public()

    page = jetis_client.get(receipt_url).content.decode()

    from django.utils.formats import date_format

    assert date_format(due, "j F Y") in page
