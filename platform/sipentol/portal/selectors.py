"""Reads for the citizen portal that are not a single model's: contact links, the apply link."""

from __future__ import annotations

import re

from django.db.models import Count, Q
from django.urls import NoReverseMatch, reverse

from services_catalog.configured.selectors import service_list


def whatsapp_url(number: str) -> str:
    """'0812-3456-7890' or '+62 812 3456 7890' -> 'https://wa.me/6281234567890'; '' if unusable."""
    digits = re.sub(r"\D", "", number or "")
    if digits.startswith("0"):
        digits = "62" + digits[1:]
    elif digits.startswith("8"):
        digits = "62" + digits
    if not digits.startswith("62") or not 10 <= len(digits) <= 15:
        return ""
    return f"https://wa.me/{digits}"


def apply_url(slug: str) -> str:
    """The application form of a service (built by the applications app; a plain path until then)."""
    try:
        return reverse("applications:apply", kwargs={"slug": slug})
    except NoReverseMatch:
        return f"/layanan/{slug}/ajukan/"


def services_most_used(*, limit: int = 3) -> list:
    """The kecamatan's enabled services most applied for (drafts nobody sent do not count); a new
    kecamatan, with no application yet, gets the first of its catalogue order."""
    submitted = ~Q(applications__status="draft")
    ranked = service_list().annotate(used=Count("applications", filter=submitted))
    return list(ranked.order_by("-used", "order", "name")[:limit])
