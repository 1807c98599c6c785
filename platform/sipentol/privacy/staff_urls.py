"""privacy's back-office pages, assembled under /kantor/ by sipentol.backoffice."""

from django.urls import path

from . import staff_views as v

urlpatterns = [
    path("privasi/", v.request_list, name="privacy-requests"),
    path("privasi/<int:pk>/status/", v.request_set_status, name="privacy-request-status"),
]
