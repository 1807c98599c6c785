from django.utils.translation import gettext as _


def site(request) -> dict:
    """Title and subtitle of the site the visitor is on: a kecamatan's or the regency's."""
    tenant = getattr(request, "tenant", None)
    if tenant is not None:
        return {
            "site_title": _("PATEN Kecamatan %(name)s") % {"name": tenant.name},
            "site_subtitle": _("Pelayanan Terpadu Kecamatan · Kabupaten Mojokerto"),
            "kecamatan": tenant,
        }
    return {"site_title": "SIPENTOL Mojokerto", "site_subtitle": _("Pelayanan kecamatan online · Kabupaten Mojokerto")}
