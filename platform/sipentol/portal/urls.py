from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="portal-home"),
    path("layanan/", views.service_index, name="portal-service-list"),
    path("layanan/<slug:slug>/", views.service_detail, name="portal-service-detail"),
    path("layanan/<slug:slug>/leaflet.pdf", views.leaflet, name="portal-service-leaflet"),
    path("panduan/", views.guide, name="portal-guide"),
    path("panduan/poster.pdf", views.poster, name="portal-poster"),
    path("kontak/", views.contact, name="portal-contact"),
    path("tanya-jawab/", views.faq, name="portal-faq"),
    path("statistik/", views.statistics, name="portal-statistics"),
    path("privasi/", views.privacy, name="portal-privacy"),
]
