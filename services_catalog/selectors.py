"""Reads of the regency catalog (public schema; visible from every kecamatan's site too)."""

from __future__ import annotations

from django.db.models import QuerySet

from .models import CatalogFAQ, CatalogService


def catalog_service_list() -> QuerySet[CatalogService]:
    return CatalogService.objects.prefetch_related("requirements").order_by("order", "name")


def faq_list() -> QuerySet[CatalogFAQ]:
    return CatalogFAQ.objects.order_by("order", "pk")
