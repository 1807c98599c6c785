"""feedback's back-office pages, assembled under /kantor/ by sipentol.backoffice."""

from django.urls import path

from . import staff_views as v

urlpatterns = [
    path("skm/", v.skm_summary, name="skm-summary"),
    path("pengaduan/", v.complaint_list, name="complaint-list"),
    path("pengaduan/<int:pk>/tanggapi/", v.complaint_respond, name="complaint-respond"),
]
