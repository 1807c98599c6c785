"""The Camat's dashboard, assembled under /kantor/ by sipentol.backoffice."""

from django.urls import path

from . import staff_views as v

urlpatterns = [
    path("dasbor/", v.dashboard, name="dashboard"),
    path("dasbor/terlambat/", v.overdue, name="dashboard-overdue"),
    path("dasbor/unduh/<slug:key>.<slug:fmt>", v.export, name="dashboard-export"),
    path("dasbor/rekap/", v.recap, name="dashboard-recap"),
    path("dasbor/ekspor/<uuid:pk>/", v.job, name="dashboard-job"),
    path("dasbor/ekspor/<uuid:pk>/unduh/", v.job_download, name="dashboard-job-download"),
]
