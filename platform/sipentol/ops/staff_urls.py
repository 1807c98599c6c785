"""The ops app's page in a kecamatan's back office (no app_name: names stay `staff:<name>`)."""

from django.urls import path

from . import staff_views

urlpatterns = [
    path("pemakaian/", staff_views.usage, name="usage"),
]
