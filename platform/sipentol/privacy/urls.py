from django.urls import path

from . import views

app_name = "privacy"
urlpatterns = [
    path("privasi/ekspor/", views.export_start, name="export-start"),
    path("privasi/ekspor/<str:code>/", views.export_code, name="export-code"),
    path("privasi/permohonan/<uuid:public_id>/salinan.zip", views.export_download, name="export-download"),
    path("privasi/permohonan/<uuid:public_id>/permintaan/", views.request_create, name="request-create"),
]
