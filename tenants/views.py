"""Pages shown instead of a kecamatan site: unknown host, suspended kecamatan."""

from __future__ import annotations

from django.shortcuts import render

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
    response = render(
        request,
        "tenants/suspended.html",
        {"kecamatan": kecamatan, "regency_url": regency_url()},
        status=503,
    )
    response["Retry-After"] = "3600"
    return response
