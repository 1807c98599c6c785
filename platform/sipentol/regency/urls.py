from django.urls import path

from sipentol.accounts import signin

from . import views

SITE = {"site": views.DASHBOARD}
urlpatterns = [
    path("", views.dashboard, name="regency-dashboard"),
    path("terlambat/", views.overdue, name="regency-dashboard-overdue"),
    path("unduh/<slug:key>.<slug:fmt>", views.export, name="regency-dashboard-export"),
    path("rekap/", views.recap, name="regency-dashboard-recap"),
    path("ekspor/<uuid:pk>/", views.job, name="regency-dashboard-job"),
    path("ekspor/<uuid:pk>/unduh/", views.job_download, name="regency-dashboard-job-download"),
    path("masuk/", signin.login, SITE, name="regency-dashboard-login"),
    path("masuk/otp/", signin.otp, SITE, name="regency-dashboard-otp"),
    path("masuk/ulang/", signin.reauthenticate, SITE, name="regency-dashboard-reauth"),
    path("keluar/", signin.logout, SITE, name="regency-dashboard-logout"),
    path("undangan/<str:token>/", signin.invitation_accept, SITE, name="regency-dashboard-invitation"),
]
