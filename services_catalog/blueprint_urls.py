"""Regency template pages of a kecamatan's back office, assembled under /kantor/ by sipentol.backoffice."""

from django.urls import path

from . import blueprint_views as v

urlpatterns = [
    path("templat-kabupaten/", v.template_page, name="regency-template"),
    path("templat-kabupaten/beda/", v.template_diff, name="regency-template-diff"),
]
