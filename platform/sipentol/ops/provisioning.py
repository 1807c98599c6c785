"""Onboarding a kecamatan from the ops console: a `ProvisioningRun` and the steps its Celery task
runs, reported one by one for the progress page.

The steps, in order: the schema and domain (`tenants.services.kecamatan_provision`), every
kecamatan step the apps registered (`tenants.provisioning.kecamatan_steps`: the service list,
the configuration copy from a template, ...), the storage prefix, in development a signing CA
(`PROVISIONING_DEV_CA`), then the invitation of the first admin kecamatan through the
kecamatan's outbox. Each step is idempotent; a run that failed is retried from the step that
failed, and a run that finished does nothing when run again.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import time
from dataclasses import dataclass
from functools import partial

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_tenants.utils import tenant_context

from services_catalog.blueprints import template_version_default
from services_catalog.models import RegencyTemplateVersion
from sipentol.accounts.invitations import (
    VALID,
    invitation_contact_clean,
    invitation_create,
    invitation_link,
    invitation_state,
    invitations_pending,
)
from sipentol.accounts.models import Invitation, Role, StaffProfile
from sipentol.accounts.permissions import Capability, roles_with
from sipentol.lib import storage
from sipentol.notifications.services import outbox_emit
from tenants.models import Kecamatan
from tenants.provisioning import kecamatan_step_run, kecamatan_steps
from tenants.regency_data import REGENCY_CODE, read_regency
from tenants.services import kecamatan_provision

from .models import ProvisioningRun
from .runs import run_enqueue, run_save

log = logging.getLogger(__name__)

CODE_RE = re.compile(rf"^{re.escape(REGENCY_CODE)}\.\d{{2}}$")  # Kemendagri: 35.16.xx
SLUG_RE = re.compile(r"^[a-z][a-z0-9]{2,39}$")  # subdomain and schema name


@dataclass(frozen=True)
class RunStep:
    name: str
    label: str


def provisioning_plan() -> list[RunStep]:
    """The steps a run goes through, as the progress page lists them."""
    plan = [RunStep("schema", str(gettext_lazy("Skema basis data dan alamat situs")))]
    plan += [RunStep(f"step:{step.name}", str(step.label)) for step in kecamatan_steps()]
    plan.append(RunStep("storage", str(gettext_lazy("Ruang penyimpanan berkas"))))
    if settings.PROVISIONING_DEV_CA:
        plan.append(RunStep("dev_ca", str(gettext_lazy("Sertifikat penanda tangan (CA pengembangan)"))))
    plan.append(RunStep("invitation", str(gettext_lazy("Undangan admin kecamatan pertama"))))
    return plan


def template_versions():
    """The published regency template versions one may choose (empty choice: Jetis's latest)."""
    return RegencyTemplateVersion.objects.select_related("template").order_by("template__name", "-number")


def regency_choices() -> list[dict]:
    """The regency's kecamatan (from its data) not yet active: those one may onboard."""
    live = dict(Kecamatan.objects.values_list("code", "status"))
    return [
        {"code": row.code, "name": row.name, "slug": row.slug, "status": live.get(row.code, "")}
        for row in read_regency()
        if live.get(row.code) != Kecamatan.Status.ACTIVE
    ]


def _clean(*, code: str, name: str, slug: str, admin_full_name: str, admin_email: str, admin_phone: str) -> dict:
    errors: dict[str, str] = {}
    code, name, slug = code.strip(), " ".join(name.split()), slug.strip().lower()
    if not CODE_RE.match(code):
        errors["code"] = _("Kode wilayah harus berbentuk 35.16.xx (kode Kemendagri), mis. 35.16.03.")
    if not name:
        errors["name"] = _("Tulis nama kecamatan.")
    if not SLUG_RE.match(slug):
        errors["slug"] = _("Subdomain 3-40 huruf kecil atau angka, diawali huruf, tanpa spasi (mis. trowulan).")
    existing = Kecamatan.objects.filter(code=code).first()
    if existing is not None:
        if existing.status == Kecamatan.Status.ACTIVE:
            errors["code"] = _("Kecamatan ini sudah aktif: tidak perlu didaftarkan lagi.")
        elif existing.slug != slug:
            errors["slug"] = _("Kecamatan dengan kode ini sudah ada dengan subdomain %(slug)s.") % {
                "slug": existing.slug
            }
    elif Kecamatan.objects.filter(slug=slug).exists():
        errors["slug"] = _("Subdomain ini sudah dipakai kecamatan lain.")
    admin_full_name = admin_full_name.strip()
    if not admin_full_name:
        errors["admin_full_name"] = _("Tulis nama lengkap admin kecamatan pertama.")
    admin_email, admin_phone, contact_errors = invitation_contact_clean(email=admin_email, phone=admin_phone)
    errors.update({f"admin_{field}": message for field, message in contact_errors.items()})
    if errors:
        raise ValidationError(errors)
    return {
        "code": code,
        "name": name,
        "slug": slug,
        "admin_full_name": admin_full_name,
        "admin_email": admin_email,
        "admin_phone": admin_phone,
    }


def provisioning_start(
    *,
    actor: str,
    code: str,
    name: str,
    slug: str,
    admin_full_name: str,
    admin_email: str = "",
    admin_phone: str = "",
    admin_username: str = "",
    template_version_id: int | None = None,
) -> ProvisioningRun:
    """Record a run and queue its task after commit. A run already open for the kecamatan is
    returned instead of a second one (a double click starts nothing twice)."""
    if template_version_id is not None and not RegencyTemplateVersion.objects.filter(pk=template_version_id).exists():
        raise ValidationError({"template_version_id": _("Versi templat itu tidak ada. Pilih dari daftar.")})
    if template_version_id is None:  # the default, fixed now so that a retry copies the same one
        default = template_version_default()
        template_version_id = default.pk if default else None
    fields = _clean(
        code=code,
        name=name,
        slug=slug,
        admin_full_name=admin_full_name,
        admin_email=admin_email,
        admin_phone=admin_phone,
    )
    open_runs = ProvisioningRun.objects.filter(
        code=fields["code"], status__in=[ProvisioningRun.Status.QUEUED, ProvisioningRun.Status.RUNNING]
    )
    if run := open_runs.first():
        return run
    try:
        with transaction.atomic():
            run = ProvisioningRun.objects.create(
                **fields,
                admin_username=admin_username.strip(),
                template_version_id=template_version_id,
                started_by=actor,
            )
            transaction.on_commit(partial(_enqueue, run.pk), robust=True)
    except IntegrityError:  # another request opened one a moment ago
        return open_runs.get()
    return run


# A queued run no worker took up in this long (the broker was down when it was queued, or the
# message was lost) may be queued again like a failed one.
QUEUED_STALE_SECONDS = 300


def provisioning_retryable(run: ProvisioningRun, *, now=None) -> bool:
    """Failed, or queued and not taken up for QUEUED_STALE_SECONDS."""
    now = now or timezone.now()
    if run.status == ProvisioningRun.Status.FAILED:
        return True
    stale = now - dt.timedelta(seconds=QUEUED_STALE_SECONDS)
    return run.status == ProvisioningRun.Status.QUEUED and run.updated_at < stale


def provisioning_retry(*, run: ProvisioningRun) -> ProvisioningRun:
    """A failed run (or a queued one nobody took up) is queued again; it resumes at the step that
    failed, steps already done are not run again."""
    with transaction.atomic():
        stale = timezone.now() - dt.timedelta(seconds=QUEUED_STALE_SECONDS)
        retryable = Q(status=ProvisioningRun.Status.FAILED) | Q(
            status=ProvisioningRun.Status.QUEUED, updated_at__lt=stale
        )
        updated = ProvisioningRun.objects.filter(retryable, pk=run.pk).update(
            status=ProvisioningRun.Status.QUEUED, updated_at=timezone.now()
        )
        if updated:
            transaction.on_commit(partial(_enqueue, run.pk), robust=True)
    run.refresh_from_db()
    return run


def _enqueue(run_id: int) -> None:
    from .tasks import provisioning_run

    run_enqueue(provisioning_run, run_id, what="provisioning")


def provisioning_execute(*, run_id: int) -> str:
    """The task's body (public schema; it enters the kecamatan's schema per step). Idempotent:
    a finished run returns "done" at once; a run left `running` by a dead worker, or failed and
    retried, skips the steps it recorded and runs the rest. Each step commits its progress, so
    the progress page sees it while the run goes on. Returns the run's final status."""
    with transaction.atomic():
        run = ProvisioningRun.objects.select_for_update().get(pk=run_id)
        if run.status == ProvisioningRun.Status.DONE:
            return run.status
        run_save(run, status=ProvisioningRun.Status.RUNNING, attempts=run.attempts + 1, error_step="", error_message="")
    done = {entry["name"] for entry in run.steps_done}
    kecamatan = run.kecamatan
    for step in provisioning_plan():
        if step.name in done and not (step.name == "schema" and kecamatan is None):
            continue
        run_save(run, current_step=step.name)
        started = time.monotonic()
        try:
            kecamatan, result = _run_step(run, step, kecamatan)
        except Exception as exc:
            log.exception("provisioning run %s failed at %s", run.pk, step.name)
            run_save(
                run,
                status=ProvisioningRun.Status.FAILED,
                error_step=step.name,
                error_message=f"{type(exc).__name__}: {exc}"[:2000],
                current_step="",
            )
            return run.status
        entry = {"name": step.name, "label": step.label, "seconds": round(time.monotonic() - started, 2)}
        run_save(run, steps_done=[*run.steps_done, {**entry, "result": str(result)[:200]}])
    run_save(run, status=ProvisioningRun.Status.DONE, current_step="", finished_at=timezone.now())
    return run.status


def _run_step(run: ProvisioningRun, step: RunStep, kecamatan: Kecamatan | None):
    if step.name == "schema":
        kecamatan, created = kecamatan_provision(
            code=run.code, name=run.name, slug=run.slug, actor=run.started_by, run_steps=False
        )
        if run.kecamatan_id != kecamatan.pk:
            run_save(run, kecamatan=kecamatan)
        return kecamatan, "created" if created else "exists"
    if step.name.startswith("step:"):
        wanted = step.name.removeprefix("step:")
        registered = next(s for s in kecamatan_steps() if s.name == wanted)
        version = RegencyTemplateVersion.objects.filter(pk=run.template_version_id).first()
        created = any(e["name"] == "schema" and e["result"] == "created" for e in run.steps_done)
        result = kecamatan_step_run(
            registered, kecamatan=kecamatan, actor=run.started_by, template_version=version, created=created
        )
        return kecamatan, result
    if step.name == "storage":
        with tenant_context(kecamatan):
            return kecamatan, storage.prefix_ensure()
    if step.name == "dev_ca":
        return kecamatan, import_string(settings.PROVISIONING_DEV_CA)(kecamatan)
    if step.name == "invitation":
        return kecamatan, _first_admin_invite(run, kecamatan)
    raise ValueError(f"unknown provisioning step {step.name}")


def _first_admin_invite(run: ProvisioningRun, kecamatan: Kecamatan) -> str:
    """Invite the first admin kecamatan, unless the kecamatan has an active admin already or a
    valid invitation to the same person is out (then nothing is sent again)."""
    with tenant_context(kecamatan), transaction.atomic():
        admins = StaffProfile.objects.filter(role__in=roles_with(Capability.MANAGE_STAFF), user__is_active=True)
        if admins.exists():
            return "admin exists"
        pending = invitations_pending().filter(role=Role.ADMIN, email=run.admin_email, phone=run.admin_phone)
        if run.invitation_id:
            pending = invitations_pending().filter(pk=run.invitation_id) | pending
        for invitation in pending:
            if invitation_state(invitation) == VALID:
                if run.invitation_id != invitation.pk:
                    run_save(run, invitation_id=invitation.pk)
                return f"invitation {invitation.pk} already sent"
        invitation, token = invitation_create(
            full_name=run.admin_full_name,
            role=Role.ADMIN,
            invited_by=run.started_by,
            email=run.admin_email,
            phone=run.admin_phone,
            username=run.admin_username,
        )
        invitation_notify(invitation=invitation, token=token)
    run_save(run, invitation_id=invitation.pk)
    return f"invitation {invitation.pk} sent"


def invitation_notify(*, invitation: Invitation, token: str) -> None:
    """Queue the invitation's link through the current kecamatan's outbox (e-mail and WhatsApp),
    in the caller's transaction; one message per channel per token (a resend makes new ones)."""
    outbox_emit(
        event="account_invitation",
        template="account_invitation",
        context={
            "name": invitation.full_name,
            "role": str(Role(invitation.role).label),
            "link": invitation_link(invitation, token),
            "hours": settings.INVITATION_HOURS,
        },
        email=invitation.email,
        phone=invitation.phone,
        dedupe_key=f"invitation:{invitation.pk}:{invitation.token_hash[:16]}",
    )
