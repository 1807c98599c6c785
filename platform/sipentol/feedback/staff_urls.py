"""feedback's back-office pages, assembled under /kantor/ by sipentol.backoffice."""

from django.urls import path

from . import staff_views as v

urlpatterns = [
    path("skm/", v.skm_summary, name="skm-summary"),
    path("skm/laporan.pdf", v.skm_report_pdf, name="skm-report-pdf"),
    path("skm/tindak-lanjut/", v.follow_up_list, name="skm-follow-ups"),
    path("skm/tindak-lanjut/<int:pk>/", v.follow_up_update, name="skm-follow-up-update"),
    path("pengaduan/", v.complaint_list, name="complaint-list"),
    path("pengaduan/<int:pk>/tanggapi/", v.complaint_respond, name="complaint-respond"),
]
