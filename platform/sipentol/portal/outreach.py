"""Outreach material of a kecamatan, generated from its own configuration so that a new kecamatan
has it on go-live: the citizen guide page, an A4 poster (its site address with a QR code, its three
most used services, the office's contacts) and a one-page leaflet per service for desa offices.

The PDFs are rendered like letters (docengine: WeasyPrint, the verification QR's encoder); nothing
is stored, each download is made from the configuration as it is now.
"""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from services_catalog.configured.models import KecamatanService
from sipentol.docengine.render import html_to_pdf, qr_data_uri
from tenants.models import Kecamatan
from tenants.selectors import kecamatan_url

from .selectors import services_most_used, whatsapp_url


def guide_steps(service: KecamatanService) -> list[str]:
    """'Cara mengajukan': what a citizen does, in order, for this service (its requirements and SLA)."""
    needed = ", ".join(r.name for r in service.requirements.all() if r.required)
    return [
        _("Siapkan foto atau pindaian persyaratan: %(items)s.") % {"items": needed}
        if needed
        else _("Siapkan KTP-el Anda."),
        _("Tekan tombol “Ajukan permohonan”, lalu isi data diri dan data permohonan."),
        _("Unggah satu foto atau PDF untuk setiap persyaratan. Foto dari kamera HP sudah cukup; tidak perlu fotokopi."),
        _(
            "Periksa kembali lalu kirim. Simpan kode pelacakan yang muncul; kode dan tautannya juga dikirim "
            "lewat WhatsApp atau e-mail."
        ),
        _(
            "Pantau status permohonan. Bila petugas meminta kelengkapan, buka tautannya dan unggah ulang "
            "berkas yang diminta saja."
        ),
        _(
            "Surat selesai paling lama %(days)s hari kerja setelah berkas lengkap. Unduh surat bertanda tangan "
            "elektronik, atau ambil di loket PATEN."
        )
        % {"days": service.sla_working_days},
    ]


def _office(kecamatan: Kecamatan) -> dict:
    return {
        "name": kecamatan.name,
        "address": kecamatan.address,
        "phone": kecamatan.phone,
        "whatsapp": kecamatan.whatsapp,
        "whatsapp_url": whatsapp_url(kecamatan.whatsapp),
        "email": kecamatan.email,
        "office_hours": kecamatan.office_hours,
    }


def poster_pdf(kecamatan: Kecamatan) -> bytes:
    """The A4 poster: the site's address and its QR code, the three most used services, contacts."""
    site = kecamatan_url(kecamatan)
    context = {
        "office": _office(kecamatan),
        "site": site,
        "site_label": site.split("://", 1)[-1].rstrip("/"),
        "qr": qr_data_uri(site),
        "services": services_most_used(limit=3),
    }
    return html_to_pdf(render_to_string("portal/print/poster.html", context))


def leaflet_pdf(kecamatan: Kecamatan, service: KecamatanService) -> bytes:
    """One page for one service: what to bring, the steps, time and fee, where to apply (QR)."""
    url = kecamatan_url(kecamatan, f"/layanan/{service.slug}/")
    context = {
        "office": _office(kecamatan),
        "service": service,
        "requirements": list(service.requirements.all()),
        "steps": guide_steps(service),
        "url": url,
        "url_label": url.split("://", 1)[-1],
        "qr": qr_data_uri(url),
    }
    return html_to_pdf(render_to_string("portal/print/leaflet.html", context))
