"""Reads about kecamatan, for the regency site, the ops console and error pages."""

from __future__ import annotations

from django.conf import settings
from django.db.models import Count, QuerySet

from .models import Kecamatan


def kecamatan_host(kecamatan: Kecamatan) -> str:
    return f"{kecamatan.slug}.{settings.BASE_DOMAIN}"


def kecamatan_url(kecamatan: Kecamatan, path: str = "/") -> str:
    port = f":{settings.PUBLIC_PORT}" if settings.PUBLIC_PORT else ""
    return f"{settings.PUBLIC_URL_SCHEME}://{kecamatan_host(kecamatan)}{port}{path}"


def regency_url(path: str = "/") -> str:
    port = f":{settings.PUBLIC_PORT}" if settings.PUBLIC_PORT else ""
    return f"{settings.PUBLIC_URL_SCHEME}://{settings.BASE_DOMAIN}{port}{path}"


def kecamatan_list() -> QuerySet[Kecamatan]:
    return Kecamatan.objects.annotate(desa_count=Count("desa_set")).order_by("name")


def kecamatan_directory() -> list[dict]:
    """Every kecamatan with its link, for pages a lost visitor lands on."""
    return [
        {"kecamatan": k, "url": kecamatan_url(k), "host": kecamatan_host(k)} for k in Kecamatan.objects.order_by("name")
    ]
