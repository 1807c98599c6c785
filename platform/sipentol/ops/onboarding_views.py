"""Onboarding a kecamatan from the ops console: start a provisioning run, watch its progress
(a page and the JSON it polls), retry a failed run, resend or revoke the first admin's invitation."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST
from django_tenants.utils import tenant_context

from sipentol.accounts.invitations import invitation_renew, invitation_revoke, invitation_state
from sipentol.accounts.models import Invitation
from sipentol.accounts.permissions import RegencyCapability, regency_can

from .models import ProvisioningRun
from .provisioning import (
    invitation_notify,
    provisioning_plan,
    provisioning_retry,
    provisioning_retryable,
    provisioning_start,
    regency_choices,
    template_versions,
)
from .views import ops_audit, ops_capability_required, ops_required

FIELDS = ("code", "name", "slug", "admin_full_name", "admin_email", "admin_phone", "admin_username")


def _template_version(raw: str) -> int | None:
    raw = (raw or "").strip()
    if not raw:
        return None
    if not raw.isdigit():
        raise ValidationError({"template_version_id": _("Pilih versi templat dari daftar.")})
    return int(raw)


@ops_capability_required(RegencyCapability.ONBOARD_KECAMATAN)
@require_http_methods(["GET", "POST"])
def kecamatan_new(request):
    """Pick a kecamatan of the regency not yet active (or type a new one with its official code),
    the template (default: Jetis's latest) and the first admin; start the run."""
    choices = regency_choices()
    values = {name: request.POST.get(name, "") for name in (*FIELDS, "regency_code", "template_version_id")}
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        chosen = next((c for c in choices if c["code"] == values["regency_code"]), None)
        if chosen is not None:  # from the regency's data: its code, name and subdomain
            values.update(code=chosen["code"], name=chosen["name"], slug=chosen["slug"])
        try:
            run = provisioning_start(
                actor=request.user.get_username(),
                template_version_id=_template_version(values["template_version_id"]),
                **{name: values[name] for name in FIELDS},
            )
        except ValidationError as exc:
            errors = exc.message_dict
        else:
            ops_audit(
                request,
                "provision_start",
                target=f"kecamatan:{run.code}",
                details={"run": run.pk, "slug": run.slug, "template_version_id": run.template_version_id},
            )
            return redirect("ops:provisioning-run", pk=run.pk)
    return render(
        request,
        "ops/kecamatan_new.html",
        {
            "choices": choices,
            "values": values,
            "errors": errors,
            "plan": provisioning_plan(),
            "versions": template_versions(),
        },
        status=400 if errors else 200,
    )


def _progress(run: ProvisioningRun) -> dict:
    done = {entry["name"]: entry for entry in run.steps_done}
    steps = []
    for step in provisioning_plan():
        if step.name in done:
            state = "done"
        elif step.name == run.error_step and run.status == ProvisioningRun.Status.FAILED:
            state = "failed"
        elif step.name == run.current_step:
            state = "running"
        else:
            state = "pending"
        seconds = done.get(step.name, {}).get("seconds")
        steps.append({"name": step.name, "label": step.label, "state": state, "seconds": seconds})
    finished = sum(1 for s in steps if s["state"] == "done")
    failed = next((s for s in steps if s["state"] == "failed"), None)
    return {
        "status": run.status,
        "status_label": run.get_status_display(),
        "finished": run.status in (ProvisioningRun.Status.DONE, ProvisioningRun.Status.FAILED),
        "percent": round(100 * finished / len(steps)) if steps else 100,
        "done_count": finished,
        "total": len(steps),
        "steps": steps,
        "error_step": run.error_step,
        "error_label": failed["label"] if failed else run.error_step,
        "error_message": run.error_message,
    }


def _admin_invitation(run: ProvisioningRun) -> dict | None:
    if not (run.kecamatan_id and run.invitation_id):
        return None
    with tenant_context(run.kecamatan):
        invitation = Invitation.objects.filter(pk=run.invitation_id).first()
        if invitation is None:
            return None
        return {"invitation": invitation, "state": invitation_state(invitation)}


@ops_required
@never_cache
def provisioning_run(request, pk: int):
    run = get_object_or_404(ProvisioningRun.objects.select_related("kecamatan"), pk=pk)
    return render(
        request,
        "ops/provisioning_run.html",
        {
            "run": run,
            "progress": _progress(run),
            "admin_invitation": _admin_invitation(run),
            "may_onboard": regency_can(request.user, RegencyCapability.ONBOARD_KECAMATAN),
            "retryable": provisioning_retryable(run),
            "invitation_hours": settings.INVITATION_HOURS,
        },
    )


@ops_required
@never_cache
def provisioning_status(request, pk: int):
    """What the progress bar polls."""
    run = get_object_or_404(ProvisioningRun, pk=pk)
    return JsonResponse(_progress(run))


@ops_capability_required(RegencyCapability.ONBOARD_KECAMATAN)
@require_POST
def provisioning_retry_view(request, pk: int):
    run = get_object_or_404(ProvisioningRun, pk=pk)
    if not provisioning_retryable(run):
        messages.error(
            request, _("Hanya proses yang gagal, atau yang lama menunggu tanpa dikerjakan, yang dapat diulang.")
        )
        return redirect("ops:provisioning-run", pk=run.pk)
    failed_step = run.error_step
    provisioning_retry(run=run)
    ops_audit(
        request,
        "provision_retry",
        kecamatan=run.kecamatan,
        target=f"kecamatan:{run.code}",
        details={"run": run.pk, "failed_step": failed_step},
    )
    return redirect("ops:provisioning-run", pk=run.pk)


@ops_capability_required(RegencyCapability.ONBOARD_KECAMATAN)
@require_POST
def admin_invitation_action(request, pk: int, action: str):
    """Resend the first admin's invitation (a new link; the old one stops working) or revoke it."""
    if action not in ("resend", "revoke"):
        raise Http404
    run = get_object_or_404(ProvisioningRun.objects.select_related("kecamatan"), pk=pk)
    if not (run.kecamatan_id and run.invitation_id):
        return redirect("ops:provisioning-run", pk=run.pk)
    with tenant_context(run.kecamatan):
        invitation = get_object_or_404(Invitation, pk=run.invitation_id)
        try:
            if action == "resend":
                with transaction.atomic():
                    token = invitation_renew(invitation=invitation)
                    invitation.refresh_from_db()
                    invitation_notify(invitation=invitation, token=token)
                messages.success(request, _("Undangan baru dikirim; tautan sebelumnya tidak berlaku lagi."))
            else:
                invitation_revoke(invitation=invitation)
                messages.success(request, _("Undangan dibatalkan; tautannya tidak berlaku lagi."))
        except ValidationError as exc:
            messages.error(request, exc.messages[0])
            return redirect("ops:provisioning-run", pk=run.pk)
    ops_audit(
        request,
        f"invitation_{action}",
        kecamatan=run.kecamatan,
        target=f"invitation:{run.kecamatan.slug}:{invitation.pk}",
    )
    return redirect("ops:provisioning-run", pk=run.pk)
