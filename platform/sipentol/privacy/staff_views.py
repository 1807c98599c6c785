"""Back office: the kecamatan admin's list of correction and deletion requests."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from sipentol.accounts.decorators import staff_required
from sipentol.accounts.permissions import Capability

from . import selectors, services
from .forms import StaffRequestForm
from .models import PrivacyRequest


@staff_required(capability=Capability.HANDLE_PRIVACY_REQUESTS)
@require_GET
def request_list(request):
    status = request.GET.get("status", "")
    if status not in PrivacyRequest.Status.values:
        status = ""
    page = Paginator(selectors.staff_requests(status=status), 30).get_page(request.GET.get("page"))
    return render(
        request,
        "privacy/staff/requests.html",
        {"page": page, "status": status, "statuses": PrivacyRequest.Status.choices, "form": StaffRequestForm()},
    )


@staff_required(capability=Capability.HANDLE_PRIVACY_REQUESTS)
@require_POST
def request_set_status(request, pk: int):
    privacy_request = selectors.staff_request_get(pk)
    form = StaffRequestForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Pilih status yang benar."))
        return redirect("staff:privacy-requests")
    try:
        services.privacy_request_set_status(request=privacy_request, actor=request.user, **form.cleaned_data)
    except services.RequestRefused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Permintaan %(ref)s diperbarui.") % {"ref": privacy_request.reference})
    return redirect("staff:privacy-requests")
