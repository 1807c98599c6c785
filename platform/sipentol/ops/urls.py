from django.urls import path

from sipentol.accounts import signin

from . import (
    accounts_views,
    billing_views,
    complaint_views,
    facts_views,
    golive_views,
    onboarding_views,
    privacy_views,
    signature_views,
    template_views,
)
from . import views as ops_views

app_name = "ops"
SITE = {"site": ops_views.OPS}
urlpatterns = [
    path("", ops_views.console, name="console"),
    path("masuk/", signin.login, SITE, name="login"),
    path("masuk/otp/", signin.otp, SITE, name="otp"),
    path("masuk/ulang/", signin.reauthenticate, SITE, name="reauth"),
    path("keluar/", signin.logout, SITE, name="logout"),
    # before kecamatan/<slug>/: "baru" is not a kecamatan
    path("kecamatan/baru/", onboarding_views.kecamatan_new, name="kecamatan-new"),
    path("kecamatan/<slug:slug>/status/", ops_views.set_status, name="set-status"),
    path("kecamatan/<slug:slug>/siap-layanan/", golive_views.golive, name="golive"),
    path("kecamatan/<slug:slug>/tanggal-buka/", golive_views.set_opening, name="set-opening"),
    path("kecamatan/<slug:slug>/", ops_views.kecamatan_detail, name="kecamatan"),
    path("kecamatan/<slug:slug>/pesan/<int:message_id>/kirim-ulang/", ops_views.retry_message, name="retry-message"),
    path("akun/kode-pendaftaran/", ops_views.enrolment_code, name="enrolment-code"),
    path("undangan/<str:token>/", signin.invitation_accept, SITE, name="invitation"),
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
    path("pengaduan/tenggat/", complaint_views.complaint_deadlines, name="complaint-deadlines"),
    path("pengaduan/tenggat/simpan/", complaint_views.complaint_deadlines_save, name="complaint-deadlines-save"),
    path("fakta/", facts_views.facts_rebuild, name="facts-rebuild"),
    path("fakta/hitung-ulang/", facts_views.facts_rebuild_start_view, name="facts-rebuild-start"),
    path("tanda-tangan/catatan-kaki/", signature_views.signature_footer, name="signature-footer"),
    path("tanda-tangan/catatan-kaki/simpan/", signature_views.signature_footer_save, name="signature-footer-save"),
]
