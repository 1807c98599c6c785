from django.urls import path

from sipentol.accounts import signin

from . import accounts_views, onboarding_views
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
    path("undangan/<str:token>/", signin.invitation_accept, SITE, name="invitation"),
    path("kecamatan/baru/", onboarding_views.kecamatan_new, name="kecamatan-new"),
    path("kecamatan/proses/<int:pk>/", onboarding_views.provisioning_run, name="provisioning-run"),
    path("kecamatan/proses/<int:pk>/status/", onboarding_views.provisioning_status, name="provisioning-status"),
    path("kecamatan/proses/<int:pk>/ulang/", onboarding_views.provisioning_retry_view, name="provisioning-retry"),
    path(
        "kecamatan/proses/<int:pk>/undangan/<str:action>/",
        onboarding_views.admin_invitation_action,
        name="provisioning-invitation",
    ),
    path("akun/", accounts_views.accounts_list, name="accounts"),
    path("akun/undang/", accounts_views.account_invite, name="account-invite"),
    path("akun/<int:pk>/peran/", accounts_views.account_role, name="account-role"),
    path("akun/<int:pk>/aktif/", accounts_views.account_active, name="account-active"),
    path("akun/undangan/<int:pk>/<str:action>/", accounts_views.invitation_action, name="account-invitation"),
]
