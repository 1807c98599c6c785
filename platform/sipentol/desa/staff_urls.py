"""The desa's back-office pages, assembled under /kantor/ by sipentol.backoffice."""

from django.urls import path

from . import staff_views as v

urlpatterns = [
    path("desa/pengantar/", v.queue, name="pengantar-queue"),
    path("desa/pengantar/<int:pk>/", v.detail, name="pengantar-detail"),
    path("desa/pengantar/<int:pk>/draf/", v.draft, name="pengantar-draft"),
    path("desa/pengantar/<int:pk>/tandatangani/", v.sign, name="pengantar-sign"),
    path("desa/pengantar/<int:pk>/tolak/", v.refuse, name="pengantar-refuse"),
    path("desa/pengantar/<int:pk>/pdf/", v.pdf, name="pengantar-pdf"),
    path("desa/templat/", v.template, name="desa-template"),
    path("token-api-desa/", v.tokens, name="desa-tokens"),
    path("token-api-desa/<int:pk>/cabut/", v.token_revoke, name="desa-token-revoke"),
]
