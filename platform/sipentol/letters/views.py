"""Public QR verification page on the kecamatan's host: /verifikasi/<uuid>/ (no login, no JS)."""

from __future__ import annotations

from django.conf import settings
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from .selectors import letter_get_public, letter_verify_upload


@require_http_methods(["GET", "POST"])
def verify(request, uuid):
    letter = letter_get_public(uuid)
    if letter is None:
        raise Http404(_("Surat tidak ditemukan."))
    result = error = None
    status = 200
    if request.method == "POST":
        upload = request.FILES.get("berkas")
        limit = settings.LETTERS_VERIFY_MAX_UPLOAD_BYTES
        if upload is None:
            error = _("Pilih berkas PDF surat yang ingin diperiksa, lalu tekan Periksa.")
        elif upload.size > limit:
            error = _("Berkas terlalu besar (%(size)s MB). Unggah berkas PDF surat di bawah %(limit)s MB.") % {
                "size": round(upload.size / 1048576, 1),
                "limit": limit // 1048576,
            }
        else:
            data = upload.read()
            if not data.startswith(b"%PDF-"):
                error = _("Berkas ini bukan PDF. Unggah berkas PDF surat yang Anda terima.")
            else:
                result = letter_verify_upload(letter=letter, pdf_bytes=data)
        if error:
            status = 400
    return render(
        request,
        "letters/verify.html",
        {"letter": letter, "kecamatan": request.tenant, "result": result, "error": error},
        status=status,
    )
