"""The kecamatan's service configuration pages, assembled under /kantor/ by sipentol.backoffice."""

from django.urls import path

from . import staff_views as v

urlpatterns = [
    path("layanan/", v.service_index, name="service-list"),
    path("layanan/<slug:slug>/", v.service_detail, name="service-detail"),
    path("layanan/<slug:slug>/aktif/", v.service_set_enabled, name="service-enabled"),
    path("layanan/<slug:slug>/riwayat/", v.service_history, name="service-history"),
    path("layanan/<slug:slug>/persyaratan/tambah/", v.requirement_add, name="service-requirement-add"),
    path("layanan/<slug:slug>/persyaratan/<int:pk>/", v.requirement_edit, name="service-requirement"),
    path("layanan/<slug:slug>/persyaratan/<int:pk>/hapus/", v.requirement_remove, name="service-requirement-remove"),
    path("layanan/<slug:slug>/isian/tambah/", v.field_add, name="service-field-add"),
    path("layanan/<slug:slug>/isian/<slug:name>/", v.field_edit, name="service-field"),
    path("layanan/<slug:slug>/isian/<slug:name>/hapus/", v.field_remove, name="service-field-remove"),
]
