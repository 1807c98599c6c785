from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="portal-home"),
    path("layanan/", views.service_index, name="portal-service-list"),
    path("layanan/<slug:slug>/", views.service_detail, name="portal-service-detail"),
    path("kontak/", views.contact, name="portal-contact"),
    path("tanya-jawab/", views.faq, name="portal-faq"),
    path("statistik/", views.statistics, name="portal-statistics"),
    path("privasi/", views.privacy, name="portal-privacy"),
]
