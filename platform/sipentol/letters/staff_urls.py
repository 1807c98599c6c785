"""letters' back-office pages, assembled under /kantor/ by sipentol.backoffice."""

from django.urls import path

from . import staff_views as v

urlpatterns = [
    path("surat/<uuid:letter_uuid>/pdf/", v.letter_pdf, name="letter-pdf"),
    path("surat/<uuid:letter_uuid>/cabut/", v.revoke, name="letter-revoke"),
    path("templat-surat/", v.template_list, name="letter-templates"),
    path("templat-surat/<slug:slug>/", v.template_edit, name="letter-template"),
    path("pelimpahan/", v.delegations, name="delegations"),
    path("kop-surat/", v.letterhead, name="letterhead"),
    path("petugas/<int:pk>/sertifikat/", v.staff_certificate, name="staff-admin-certificate"),
    path("penanda-tangan/", v.signers, name="signers"),
]
