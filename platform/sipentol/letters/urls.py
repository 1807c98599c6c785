from django.urls import path

from . import views

urlpatterns = [
    path("verifikasi/<uuid:uuid>/", views.verify, name="letter-verify"),
]
