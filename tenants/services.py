"""Writes about kecamatan: provisioning by cloning, status changes, domains.

These cross tenants by nature (they create and switch schemas); business code elsewhere never
names a schema.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.management import call_command
from django.db import connection, transaction
from django_tenants.utils import schema_exists

from .golive import GoLiveIncomplete, missing_items
from .models import Domain, Kecamatan, OpsEvent
from .provisioning import kecamatan_step_run, kecamatan_steps

log = logging.getLogger(__name__)


def template_schema_ensure(*, verbosity: int = 0) -> bool:
    """Create the template schema if missing and bring it to the latest migrations.

    New kecamatan are cloned from it (TENANT_BASE_SCHEMA); it holds structure only, never a
    citizen's data. Run on every deploy after the shared migrations. Returns True if created.
    """
    name = settings.TENANT_BASE_SCHEMA
    created = False
    if not schema_exists(name):
        with connection.cursor() as cursor:
            cursor.execute(f'CREATE SCHEMA "{name}"')
        created = True
    call_command("migrate_schemas", schema_name=name, interactive=False, verbosity=verbosity)
    connection.set_schema_to_public()
    return created


def _domain_ensure(*, kecamatan: Kecamatan, host: str) -> Domain:
    domain, _ = Domain.objects.get_or_create(domain=host, defaults={"tenant": kecamatan, "is_primary": True})
    if domain.tenant_id != kecamatan.pk:
        raise ValueError(f"host {host} already belongs to {domain.tenant}")
    # Exactly one primary: the one on the current BASE_DOMAIN.
    Domain.objects.filter(tenant=kecamatan, is_primary=True).exclude(pk=domain.pk).update(is_primary=False)
    if not domain.is_primary:
        domain.is_primary = True
        domain.save(update_fields=["is_primary"])
    return domain


def kecamatan_provision(
    *,
    code: str,
    name: str,
    slug: str,
    status: str = Kecamatan.Status.ONBOARDING,
    actor: str = "system",
    template_version: object | None = None,
    run_steps: bool = True,
) -> tuple[Kecamatan, bool]:
    """Create the kecamatan (schema cloned from the template) and its domain; idempotent on code.

    An existing kecamatan keeps its status and profile: provisioning never reactivates a
    suspended office. `template_version` (a services_catalog RegencyTemplateVersion) is the
    regency template whose configuration the "configuration copy" step gives the kecamatan;
    left out, a new kecamatan gets Jetis's latest (see services_catalog.blueprints).
    `run_steps=False` creates only the schema and domain, leaving the registered steps to a
    caller that reports each one (`tenants.provisioning.kecamatan_step_run`; the ops console's
    provisioning run). Returns (kecamatan, created).
    """
    existing = Kecamatan.objects.filter(code=code).first()
    if existing is None:
        if not schema_exists(settings.TENANT_BASE_SCHEMA):
            template_schema_ensure()
        kecamatan = Kecamatan(code=code, name=name, slug=slug, schema_name=slug.replace("-", "_"), status=status)
        kecamatan.save(verbosity=0)  # Kecamatan.create_schema: schema_clone(template) + fake migrations
        OpsEvent.objects.create(kecamatan=kecamatan, actor=actor, action="provision", to_status=status)
        created = True
    else:
        kecamatan, created = existing, False
    _domain_ensure(kecamatan=kecamatan, host=f"{kecamatan.slug}.{settings.BASE_DOMAIN}")
    # What the apps prepare in it (its own service list, copied from the regency catalog, ...):
    # each step is idempotent and keeps the kecamatan's local changes.
    if run_steps:
        for step in kecamatan_steps():
            kecamatan_step_run(
                step, kecamatan=kecamatan, actor=actor, template_version=template_version, created=created
            )
    return kecamatan, created


def kecamatan_has_been_live(kecamatan: Kecamatan) -> bool:
    """Was it ever active (provisioned active, like Jetis, or switched to active since)?"""
    return OpsEvent.objects.filter(kecamatan=kecamatan, to_status=Kecamatan.Status.ACTIVE).exists()


def kecamatan_set_status(
    *, kecamatan: Kecamatan, status: str, actor: str, reason: str = "", ip_address: str | None = None
) -> Kecamatan:
    """Activate, suspend or resume a kecamatan; audited (with the operator's address when given);
    routing sees it at once.

    Going live the first time needs the complete go-live checklist (`tenants.golive`): otherwise
    GoLiveIncomplete, listing the items not done. Resuming a kecamatan that has been live before
    is not held back by the checklist (a suspension is an incident; its data and staff stay).
    """
    if status not in Kecamatan.Status.values:
        raise ValueError(f"unknown status {status!r}")
    if status == Kecamatan.Status.SUSPENDED and not reason.strip():
        raise ValueError("a suspension needs a reason")
    if (
        status == Kecamatan.Status.ACTIVE
        and kecamatan.status != Kecamatan.Status.ACTIVE
        and not kecamatan_has_been_live(kecamatan)
    ):
        missing = missing_items(kecamatan)
        if missing:
            raise GoLiveIncomplete(missing)
    with transaction.atomic():
        kecamatan = Kecamatan.objects.select_for_update().get(pk=kecamatan.pk)
        if kecamatan.status == status:
            return kecamatan
        previous = kecamatan.status
        kecamatan.status = status
        kecamatan.status_reason = reason.strip()
        kecamatan.save(update_fields=["status", "status_reason", "updated_at"])  # signal forgets routes
        OpsEvent.objects.create(
            kecamatan=kecamatan,
            actor=actor,
            action="status",
            from_status=previous,
            to_status=status,
            reason=reason,
            ip_address=ip_address,
        )
    return kecamatan


PROFILE_FIELDS = ("address", "phone", "whatsapp", "email", "office_hours")


def kecamatan_update_profile(*, kecamatan: Kecamatan, actor: str, **fields: str) -> Kecamatan:
    """Office address, phone, WhatsApp, e-mail and hours (portal contact page, suspended page, letterhead).

    Audited as an OpsEvent; the save signal forgets the cached route so every page shows it at once.
    """
    unknown = set(fields) - set(PROFILE_FIELDS)
    if unknown:
        raise ValueError(f"not office profile fields: {sorted(unknown)}")
    with transaction.atomic():
        kecamatan = Kecamatan.objects.select_for_update().get(pk=kecamatan.pk)
        changed = [name for name, value in fields.items() if getattr(kecamatan, name) != (value or "").strip()]
        if not changed:
            return kecamatan
        for name in changed:
            setattr(kecamatan, name, (fields[name] or "").strip())
        kecamatan.full_clean(exclude=[f.name for f in Kecamatan._meta.fields if f.name not in changed])
        kecamatan.save(update_fields=[*changed, "updated_at"])  # signal forgets routes
        OpsEvent.objects.create(kecamatan=kecamatan, actor=actor, action="profile", reason=", ".join(changed)[:300])
    return kecamatan


def ops_event_record(
    *,
    actor: str,
    action: str,
    kecamatan: Kecamatan | None = None,
    target: str = "",
    reason: str = "",
    details: dict | None = None,
    ip_address: str | None = None,
) -> OpsEvent:
    """One row of Diskominfo's audit trail (the ops console's every action). `details` must hold
    no secret and no citizen's personal data: names of what changed, counts, never values."""
    return OpsEvent.objects.create(
        kecamatan=kecamatan,
        actor=actor,
        action=action,
        target=target[:200],
        reason=reason[:300],
        details=details or {},
        ip_address=ip_address,
    )


def kecamatan_set_opening(*, kecamatan: Kecamatan, opens_on, actor: str) -> Kecamatan:
    """The day the office plans to take applications (None: not known yet); audited."""
    with transaction.atomic():
        kecamatan = Kecamatan.objects.select_for_update().get(pk=kecamatan.pk)
        if kecamatan.opens_on == opens_on:
            return kecamatan
        kecamatan.opens_on = opens_on
        kecamatan.save(update_fields=["opens_on", "updated_at"])  # signal forgets routes
        OpsEvent.objects.create(
            kecamatan=kecamatan, actor=actor, action="opening", reason=opens_on.isoformat() if opens_on else "-"
        )
    return kecamatan
