"""Pages shown instead of a kecamatan site: unknown host, suspended kecamatan."""

from __future__ import annotations

from django.http import JsonResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import gettext as _

from .models import Kecamatan
from .selectors import kecamatan_directory, regency_url


def unknown_host_page(request, hostname: str):
    return render(
        request,
        "tenants/unknown_host.html",
        {"hostname": hostname, "directory": kecamatan_directory(), "regency_url": regency_url()},
        status=404,
    )


def suspended_page(request, kecamatan: Kecamatan):
    """503 for every request to a suspended kecamatan's host: page, or JSON under /api/.

    The JSON message follows Accept-Language (an API client has no ID/EN button)."""
    if request.path_info.startswith("/api/"):
        with translation.override(translation.get_language_from_request(request)):
            message = _(
                "Layanan online Kecamatan %(name)s sedang dihentikan sementara, jadi permohonan baru tidak diterima. "
                "Hubungi atau datang ke kantor kecamatan."
            ) % {"name": kecamatan.name}
        response = JsonResponse(
            {
                "detail": message,
                "kecamatan_status": kecamatan.status,
                "opens_on": kecamatan.opens_on.isoformat() if kecamatan.opens_on else None,
                "office": {
                    "address": kecamatan.address,
                    "phone": kecamatan.phone,
                    "whatsapp": kecamatan.whatsapp,
                    "email": kecamatan.email,
                    "office_hours": kecamatan.office_hours,
                },
            },
            status=503,
        )
        response["Retry-After"] = "3600"
        return response
    response = render(
        request,
        "tenants/suspended.html",
        {"kecamatan": kecamatan, "regency_url": regency_url()},
        status=503,
    )
    response["Retry-After"] = "3600"
    return response
