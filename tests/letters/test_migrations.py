"""letters 0002: an admin's own template classification becomes the service's before the column goes."""

from __future__ import annotations

import importlib

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django_tenants.utils import tenant_context

RECONCILE = importlib.import_module("sipentol.letters.migrations.0002_template_classification_to_service")


@pytest.fixture
def before_0003(jetis):
    """Jetis's schema as 0002 finds it: LetterTemplate still has its classification column.

    The column is added back inside the test's transaction, so the rollback removes it again.
    """
    with tenant_context(jetis):
        apps = MigrationLoader(connection).project_state(("letters", RECONCILE.__name__.rsplit(".", 1)[1])).apps
        template_model = apps.get_model("letters", "LetterTemplate")
        with connection.schema_editor() as editor:
            editor.add_field(template_model, template_model._meta.get_field("classification"))
        yield apps


def given(apps, *, template_code: str, edited_by_admin: bool = True, service_code=None, customized=False):
    """SKTM's template with `template_code`, saved by an admin or not; SKTM's service code as given."""
    service = apps.get_model("configured_services", "KecamatanService").objects.get(slug="sktm")
    if service_code is not None:
        service.letter_classification = service_code
    if customized:
        service.customized_fields = sorted({*service.customized_fields, "letter_classification"})
    service.save()
    admin = get_user_model().objects.create_user("admin.templat") if edited_by_admin else None
    apps.get_model("letters", "LetterTemplate").objects.create(
        service_slug="sktm",
        title="Surat Keterangan Tidak Mampu",
        classification=template_code,
        html="<p>Isi</p>",
        updated_by_id=admin.pk if admin else None,
    )
    return service.letter_classification


def sktm(apps):
    return apps.get_model("configured_services", "KecamatanService").objects.get(slug="sktm")


def test_it_carries_the_code_an_admin_typed_on_the_template_into_the_service(before_0003):
    service_code = given(before_0003, template_code="401.5", service_code="460")

    changed = RECONCILE.reconcile(before_0003)

    assert changed == ["sktm"]
    service = sktm(before_0003)
    assert service.letter_classification == "401.5"
    assert "letter_classification" in service.customized_fields
    event = service.change_events.get(action="letter_template_reconcile")
    assert event.actor == "migrasi"
    assert event.changes == {"letter_classification": {"from": service_code, "to": "401.5"}}


@pytest.mark.parametrize(
    "state",
    [
        pytest.param({"template_code": "401.5", "edited_by_admin": False}, id="template never saved by an admin"),
        pytest.param({"template_code": "401"}, id="admin saved only the body: the template's default code"),
        pytest.param({"template_code": "401.5", "customized": True}, id="kecamatan customised the service's code"),
        pytest.param({"template_code": "401/5"}, id="not a valid code"),
    ],
)
def test_it_keeps_the_services_code_unless_an_admin_chose_another_on_the_template(before_0003, state):
    service_code = given(before_0003, service_code="460.9", **state)

    changed = RECONCILE.reconcile(before_0003)

    assert changed == []
    service = sktm(before_0003)
    assert service.letter_classification == service_code
    assert not service.change_events.filter(action="letter_template_reconcile").exists()
