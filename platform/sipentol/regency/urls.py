from django.urls import path

from sipentol.accounts import signin

from . import views

SITE = {"site": views.DASHBOARD}
urlpatterns = [
    path("", views.dashboard, name="regency-dashboard"),
    path("masuk/", signin.login, SITE, name="regency-dashboard-login"),
    path("masuk/otp/", signin.otp, SITE, name="regency-dashboard-otp"),
    path("masuk/ulang/", signin.reauthenticate, SITE, name="regency-dashboard-reauth"),
    path("keluar/", signin.logout, SITE, name="regency-dashboard-logout"),
    path("undangan/<str:token>/", signin.invitation_accept, SITE, name="regency-dashboard-invitation"),
]
