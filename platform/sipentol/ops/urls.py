from django.urls import path

from sipentol.accounts import signin

from . import views as ops_views

app_name = "ops"
SITE = {"site": ops_views.OPS}
urlpatterns = [
    path("", ops_views.console, name="console"),
    path("masuk/", signin.login, SITE, name="login"),
    path("masuk/otp/", signin.otp, SITE, name="otp"),
    path("masuk/ulang/", signin.reauthenticate, SITE, name="reauth"),
    path("keluar/", signin.logout, SITE, name="logout"),
    path("kecamatan/<slug:slug>/status/", ops_views.set_status, name="set-status"),
    path("kecamatan/<slug:slug>/", ops_views.kecamatan_detail, name="kecamatan"),
    path("kecamatan/<slug:slug>/pesan/<int:message_id>/kirim-ulang/", ops_views.retry_message, name="retry-message"),
    path("akun/kode-pendaftaran/", ops_views.enrolment_code, name="enrolment-code"),
]
