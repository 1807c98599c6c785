from django import template
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def rupiah(value) -> str:
    """12500 -> 'Rp 12.500'; 0 -> 'Gratis (Rp 0)'."""
    amount = int(value or 0)
    if amount == 0:
        return _("Gratis (Rp 0)")
    return "Rp " + f"{amount:,}".replace(",", ".")


_KINDS = {"image/jpeg": "JPG", "image/png": "PNG", "application/pdf": "PDF"}


@register.filter
def file_kinds(types) -> str:
    """['image/jpeg', 'application/pdf'] -> 'JPG, PDF'."""
    return ", ".join(_KINDS.get(t, t) for t in types or [])


@register.filter
def has_images(types) -> bool:
    return any(str(t).startswith("image/") for t in types or [])
