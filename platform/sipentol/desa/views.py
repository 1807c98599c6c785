"""Public QR verification page of a signed pengantar: /verifikasi/pengantar/<uuid>/ (no login).

Shows what a reader of the paper needs to trust it (desa, number, date, signer, masked NIK) and
checks the stored PDF's signature; never the citizen's other data."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from sipentol.docengine.signing import pdf_signature_check
from sipentol.letters.selectors import trust_anchor_pems
from sipentol.lib import storage

from .selectors import pengantar_public
from .services import desa_of


@require_GET
def verify(request, uuid):
    item = pengantar_public(uuid)
    if item is None:
        raise Http404(_("Surat pengantar tidak ditemukan."))
    check = pdf_signature_check(storage.get(item.signed_pdf_key), trust_pems=trust_anchor_pems())
    return render(
        request,
        "desa/verify.html",
        {"item": item, "desa": desa_of(item.desa_code), "check": check, "kecamatan": request.tenant},
    )
