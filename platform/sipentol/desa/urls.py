from django.urls import path

from . import views

urlpatterns = [
    path("verifikasi/pengantar/<uuid:uuid>/", views.verify, name="pengantar-verify"),
]
