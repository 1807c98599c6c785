"""`{% load capabilities %}{% if request.user|can:"configure_services" %}`: templates ask the
permission table too (an unknown capability name fails the page, so a typo cannot hide a link)."""

from django import template

from sipentol.accounts.permissions import Capability
from sipentol.accounts.permissions import can as _can

register = template.Library()


@register.filter
def can(user, capability: str) -> bool:
    return _can(user, Capability(capability))
