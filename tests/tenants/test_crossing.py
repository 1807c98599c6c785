"""Jobs that cross kecamatan do it through one helper with an explicit status filter, and
business code never names a schema."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from django.db import connection
from django_tenants.utils import tenant_context

from sipentol.notifications.models import OutboxMessage
from sipentol.notifications.services import outbox_emit
from sipentol.notifications.tasks import sweep_outbox
from tenants.crossing import EVERY, WORKING, for_each_kecamatan, in_kecamatan_schema, in_schema
from tenants.models import Kecamatan
from tenants.services import kecamatan_set_status

ROOT = Path(__file__).resolve().parents[2]


def test_it_runs_the_work_in_each_kecamatan_of_the_given_statuses_only(jetis, mojosari):
    # given Mojosari suspended, Jetis active, the other 16 onboarding
    kecamatan_set_status(kecamatan=mojosari, status=Kecamatan.Status.SUSPENDED, actor="test", reason="uji")

    # when a job runs for the working kecamatan, and another for every kecamatan
    seen = for_each_kecamatan(lambda k: connection.schema_name, statuses=WORKING)
    everywhere = for_each_kecamatan(lambda k: connection.schema_name, statuses=EVERY)

    # then each ran inside its own schema, and only where its filter says
    assert seen["jetis"] == "jetis" and "mojosari" not in seen
    assert len(seen) == 17 and all(schema == name for name, schema in seen.items())
    assert len(everywhere) == 18 and everywhere["mojosari"] == "mojosari"
    assert connection.schema_name == "public"


def test_it_goes_on_with_the_other_kecamatan_when_one_fails(jetis):
    def work(kecamatan):
        if kecamatan.slug == "jetis":
            raise RuntimeError("broken schema")
        return kecamatan.slug

    results = for_each_kecamatan(work, statuses=WORKING)

    assert "jetis" not in results and len(results) == 17  # Mojosari (active) and the 16 onboarding
    with pytest.raises(RuntimeError, match="broken schema"):
        for_each_kecamatan(work, statuses=WORKING, isolate=False)


def test_it_requires_a_status_filter():
    with pytest.raises(TypeError):
        for_each_kecamatan(lambda k: None)  # type: ignore[call-arg]


def test_it_refuses_the_public_and_template_schemas_as_kecamatan(settings):
    assert not in_kecamatan_schema("public")
    assert not in_kecamatan_schema(settings.TENANT_BASE_SCHEMA)
    assert in_kecamatan_schema("jetis")
    with pytest.raises(ValueError, match="not a kecamatan schema"):
        in_schema("public")


def test_it_retries_the_notifications_of_an_onboarding_kecamatan(db):
    # given an onboarding kecamatan's trial run left a message waiting (broker was down)
    trowulan = Kecamatan.objects.get(slug="trowulan")
    assert trowulan.status == Kecamatan.Status.ONBOARDING
    with tenant_context(trowulan):
        outbox_emit(
            event="application.application_submitted",
            template="application_submitted",
            context={"tracking_code": "TRW-2611-2345", "service_name": "Domisili", "kecamatan_name": "Trowulan"},
            email="warga@example.id",
            dedupe_key="trial:1",
        )
    connection.set_schema_to_public()

    # when the beat sweep runs
    queued = sweep_outbox()

    # then the onboarding kecamatan's message is queued for delivery like an active one's
    assert queued.get("trowulan") == 1
    with tenant_context(trowulan):
        assert OutboxMessage.objects.get(dedupe_key="trial:1").queued_at is not None


# The schema names live in tenants/ and the settings; anything else asks tenants.crossing.
SCHEMA_NAMES = {"public", "tenant_template"}
ALLOWED = {
    # "public" here is a category of the `holidays` package (national public holidays), not a schema.
    ("platform/sipentol/lib/workdays.py", "public"),
}


def test_business_code_names_no_schema():
    offenders = []
    for folder in ("platform/sipentol", "services_catalog", "billing_and_quota"):
        for path in (ROOT / folder).rglob("*.py"):
            relative = path.relative_to(ROOT).as_posix()
            if "/migrations/" in relative or relative.startswith("platform/sipentol/settings/"):
                continue
            for node in ast.walk(ast.parse(path.read_text())):
                named = isinstance(node, ast.Constant) and node.value in SCHEMA_NAMES
                if named and (relative, node.value) not in ALLOWED:
                    offenders.append(f"{relative}:{node.lineno} {node.value!r}")
    assert offenders == []
