"""Diskominfo's billing pages on the console: plans and their quotas, each kecamatan's plan, this
month's usage and overage, notices, and the monthly statements to download.

Reading (usage, notices, statements) is for every Diskominfo account of the console; changing a
plan or a kecamatan's plan asks RegencyCapability.MANAGE_PLANS, and is audited (tenants.OpsEvent).
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from billing_and_quota.models import Overage, Plan, QuotaNotice, Statement
from billing_and_quota.selectors import month_of, usage_by_kecamatan
from billing_and_quota.services import plan_save, subscription_set_plan
from sipentol.accounts.permissions import RegencyCapability
from sipentol.lib.web import stored_file_response
from tenants.models import Kecamatan
from tenants.selectors import kecamatan_list

from .views import ops_audit, ops_capability_required, ops_required

billing_required = ops_required
plans_required = ops_capability_required(RegencyCapability.MANAGE_PLANS)


class PlanForm(forms.ModelForm):
    class Meta:
        model = Plan
        fields = [
            "name",
            "monthly_application_quota",
            "monthly_letter_quota",
            "storage_quota_gb",
            "staff_seats",
            "monthly_whatsapp_quota",
            "is_default",
        ]


@billing_required
@never_cache
def billing(request):
    period = month_of()
    kecamatan = list(kecamatan_list())
    usage = usage_by_kecamatan(kecamatan, period)
    return render(
        request,
        "ops/billing.html",
        {
            "period": period,
            "rows": [{"k": k, "usage": usage[k.pk]} for k in kecamatan],
            "plans": Plan.objects.all(),
            "overages": Overage.objects.filter(period=period).select_related("kecamatan")[:100],
            "notices": QuotaNotice.objects.select_related("kecamatan")[:50],
            "statements": Statement.objects.select_related("kecamatan")[:200],
        },
    )


@plans_required
@never_cache
@require_http_methods(["GET", "POST"])
def plan_edit(request, pk: int | None = None):
    plan = get_object_or_404(Plan, pk=pk) if pk else Plan()
    form = PlanForm(request.POST or None, instance=plan)
    if request.method == "POST" and form.is_valid():
        plan_save(plan=form.save(commit=False))
        ops_audit(request, "plan_saved", target=f"plan:{plan.name}", details={"changed": sorted(form.changed_data)})
        messages.success(request, _("Paket %(name)s disimpan.") % {"name": plan.name})
        return redirect("ops:billing")
    return render(request, "ops/plan_edit.html", {"form": form, "plan": plan}, status=400 if form.errors else 200)


@plans_required
@require_POST
def subscription_plan(request, slug: str):
    kecamatan = get_object_or_404(Kecamatan, slug=slug)
    plan = Plan.objects.filter(pk=request.POST.get("plan") or 0).first()
    if plan is None:
        messages.error(request, _("Pilih paket dari daftar."))
    else:
        subscription_set_plan(kecamatan=kecamatan, plan=plan)
        ops_audit(request, "plan_changed", kecamatan=kecamatan, target=f"plan:{plan.name}")
        messages.success(
            request, _("Kecamatan %(name)s kini memakai paket %(plan)s.") % {"name": kecamatan.name, "plan": plan.name}
        )
    return redirect("ops:billing")


@billing_required
def statement_download(request, pk: int):
    statement = get_object_or_404(Statement.objects.select_related("kecamatan"), pk=pk)
    if not statement.key:
        raise Http404
    response = stored_file_response(statement.key, content_type=statement.content_type, filename=statement.filename)
    response["Content-Disposition"] = f'attachment; filename="{statement.filename}"'
    return response
