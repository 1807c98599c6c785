"""Diskominfo's page for the footer of letters signed through BSrE (BSSN's wording, changed here
when BSSN changes it); letters read it through lib/signature_footer."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from sipentol.accounts.permissions import RegencyCapability, regency_can
from sipentol.lib.errors import error_text
from sipentol.lib.signature_footer import DEFAULT_BSRE_FOOTER, bsre_footer_lines

from .services import SIGNATURE_FOOTER_MAX_CHARS, signature_footer_set
from .views import ops_audit, ops_capability_required, ops_required


@ops_required
@require_GET
def signature_footer(request):
    """The footer as letters print it now; the form for a role holding EDIT_SIGNATURE_FOOTER."""
    return _page(request, "\n".join(bsre_footer_lines()))


def _page(request, text: str, *, status: int = 200):
    context = {
        "text": text,
        "default": DEFAULT_BSRE_FOOTER,
        "may_edit": regency_can(request.user, RegencyCapability.EDIT_SIGNATURE_FOOTER),
        "max": SIGNATURE_FOOTER_MAX_CHARS,
    }
    return render(request, "ops/signature_footer.html", context, status=status)


@ops_capability_required(RegencyCapability.EDIT_SIGNATURE_FOOTER)
@require_POST
def signature_footer_save(request):
    text = request.POST.get("text", "")
    try:
        signature_footer_set(text=text, actor=request.user.get_username())
    except ValidationError as exc:
        messages.error(request, error_text(exc))
        return _page(request, text, status=400)
    ops_audit(request, "signature_footer_set", target="bsre_footer", details={"chars": len(text)})
    messages.success(request, _("Catatan kaki disimpan; berlaku untuk surat yang ditandatangani berikutnya."))
    return redirect("ops:signature-footer")
