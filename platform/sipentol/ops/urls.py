from django.urls import path

from sipentol.accounts import signin

from . import billing_views, golive_views, privacy_views, template_views
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
    path("kecamatan/<slug:slug>/siap-layanan/", golive_views.golive, name="golive"),
    path("kecamatan/<slug:slug>/tanggal-buka/", golive_views.set_opening, name="set-opening"),
    path("akun/kode-pendaftaran/", ops_views.enrolment_code, name="enrolment-code"),
    path("templat/", template_views.templates, name="templates"),
    path("templat/beda/", template_views.template_diff, name="template-diff"),
    path("templat/model/<slug:slug>/", template_views.template_source, name="template-source"),
    path("tagihan/", billing_views.billing, name="billing"),
    path("tagihan/paket/baru/", billing_views.plan_edit, name="plan-create"),
    path("tagihan/paket/<int:pk>/", billing_views.plan_edit, name="plan-edit"),
    path("tagihan/kecamatan/<slug:slug>/paket/", billing_views.subscription_plan, name="subscription-plan"),
    path("tagihan/laporan/<int:pk>/", billing_views.statement_download, name="statement-download"),
    path("privasi/", privacy_views.retention, name="retention"),
    path("privasi/simpan/", privacy_views.retention_set, name="retention-set"),
]
