from django.urls import path

from sipentol.accounts import signin

from . import privacy_views
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
    path("akun/kode-pendaftaran/", ops_views.enrolment_code, name="enrolment-code"),
    path("privasi/", privacy_views.retention, name="retention"),
    path("privasi/simpan/", privacy_views.retention_set, name="retention-set"),
]
